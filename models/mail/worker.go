package mail

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"time"

	"courseportal/models"
)

// Message is one message as a sender delivers it.
type Message struct {
	OutboxID int64
	// MessageKey is stable for the message across attempts; senders make the
	// Message-ID from it, so a receiving server can spot a duplicate.
	MessageKey      string
	ToEmail         string
	ToName          string
	Subject         string
	BodyText        string
	ListUnsubscribe string
	Date            time.Time
}

// Sender delivers one message.
type Sender interface {
	Send(ctx context.Context, m *Message) error
}

// PermanentError is a delivery failure that retrying cannot fix, like a
// recipient the server refuses; the message fails at once.
type PermanentError struct{ Err error }

// Error describes the failure.
func (e *PermanentError) Error() string { return "permanent: " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *PermanentError) Unwrap() error { return e.Err }

// Worker sends the outbox. Several workers (one per instance) can run
// against one database: each claims due messages under a lease, with a
// claim token that fences out anyone whose lease ran out, so a message is
// handed to the SMTP server once. Only a crash between the server's "OK" and
// the database's "sent" can repeat a message, after the lease; the stable
// Message-ID lets the receiving side recognise the copy.
type Worker struct {
	store  *models.Store
	sender Sender
	log    *slog.Logger
	// BaseURL turns the weekly reminders on: their links need it.
	BaseURL string
	// PollInterval is the pause between passes over the outbox.
	PollInterval time.Duration
	// ReminderInterval is how often the weekly reminders are looked for;
	// the ISO-week dedupe key makes repeats harmless.
	ReminderInterval time.Duration
	// Batch is how many messages one pass claims.
	Batch int
	// Lease is how long a claim holds; it is renewed before each send and
	// must exceed SendTimeout.
	Lease       time.Duration
	SendTimeout time.Duration
	// MaxAttempts is when a message gives up and becomes failed.
	MaxAttempts int
	// BaseBackoff doubles after each failure, up to MaxBackoff.
	BaseBackoff time.Duration
	MaxBackoff  time.Duration

	lastWeekly time.Time
}

// NewWorker builds a worker with production defaults. A nil sender (no
// SMTP_URL) sends nothing: messages wait in the outbox, readable in the
// console, while weekly reminders are still queued.
func NewWorker(store *models.Store, sender Sender, log *slog.Logger) *Worker {
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return &Worker{store: store, sender: sender, log: log, PollInterval: 15 * time.Second,
		ReminderInterval: time.Hour, Batch: 20, Lease: 5 * time.Minute, SendTimeout: time.Minute,
		MaxAttempts: 8, BaseBackoff: time.Minute, MaxBackoff: 6 * time.Hour}
}

// Run sends due mail and queues weekly reminders until ctx ends. A message
// being sent when ctx ends is finished and recorded first.
func (m *Worker) Run(ctx context.Context) {
	m.log.Info("mail worker started", "smtp", m.sender != nil, "weekly_reminders", m.BaseURL != "")
	t := time.NewTicker(m.PollInterval)
	defer t.Stop()
	for {
		m.pass(ctx)
		select {
		case <-ctx.Done():
			m.log.Info("mail worker stopped")
			return
		case <-t.C:
		}
	}
}

// pass queues the weekly reminders when their time has come, then drains
// the due messages.
func (m *Worker) pass(ctx context.Context) {
	if m.BaseURL != "" && time.Since(m.lastWeekly) >= m.ReminderInterval {
		m.lastWeekly = time.Now()
		n, err := m.store.QueueWeeklyReminders(ctx, m.BaseURL)
		if err != nil && ctx.Err() == nil {
			m.log.Error("weekly reminders failed", "error", err)
		} else if n > 0 {
			m.log.Info("weekly reminders queued", "count", n)
		}
	}
	for ctx.Err() == nil {
		claimed, _, err := m.sendDue(ctx)
		if err != nil {
			if ctx.Err() == nil {
				m.log.Error("mail pass failed", "error", err)
			}
			return
		}
		if claimed < m.Batch {
			return
		}
	}
}

// SendDue makes one pass: it claims up to Batch due messages, sends them and
// records each outcome. It returns how many were sent.
func (m *Worker) SendDue(ctx context.Context) (int, error) {
	_, sent, err := m.sendDue(ctx)
	return sent, err
}

func (m *Worker) sendDue(ctx context.Context) (claimed, sent int, err error) {
	if m.sender == nil {
		return 0, 0, nil
	}
	token, err := models.NewToken()
	if err != nil {
		return 0, 0, err
	}
	msgs, err := m.store.ClaimDueMail(ctx, token, m.Batch, m.Lease)
	if err != nil {
		return 0, 0, err
	}
	for i := range msgs {
		if ctx.Err() != nil {
			// Hand the rest back rather than leave them to the lease.
			return len(msgs), sent, m.store.ReleaseMailClaim(context.WithoutCancel(ctx), token)
		}
		ok, err := m.deliver(ctx, &msgs[i], token)
		if err != nil {
			return len(msgs), sent, err
		}
		if ok {
			sent++
		}
	}
	return len(msgs), sent, nil
}

// deliver sends one claimed message and records the outcome. It reports
// whether the message went out; the error is for the database only.
func (m *Worker) deliver(ctx context.Context, msg *models.OutboxEntry, token string) (bool, error) {
	// Finish what we start: a shutdown must not cut between the server's
	// acceptance and the "sent" mark.
	ctx = context.WithoutCancel(ctx)
	own, err := m.store.RenewMailClaim(ctx, msg.ID, token, m.Lease)
	if err != nil || !own {
		return false, err
	}
	sendCtx, cancel := context.WithTimeout(ctx, m.SendTimeout)
	sendErr := m.sender.Send(sendCtx, outgoing(msg, m.store.Now()))
	cancel()
	if sendErr == nil {
		return true, m.store.MarkMailSent(ctx, msg.ID, token)
	}
	var permanent *PermanentError
	failed := errors.As(sendErr, &permanent) || msg.Attempts >= m.MaxAttempts
	next := m.store.Now().Add(m.backoff(msg.Attempts))
	m.log.Warn("mail delivery failed", "outbox_id", msg.ID, "attempt", msg.Attempts, "gave_up", failed, "error", sendErr)
	return false, m.store.MarkMailFailed(ctx, msg.ID, token, failed, next, sendErr.Error())
}

// backoff is the wait after the given number of attempts: BaseBackoff,
// doubling each time, capped at MaxBackoff.
func (m *Worker) backoff(attempts int) time.Duration {
	d := m.BaseBackoff
	for i := 1; i < attempts && d < m.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, m.MaxBackoff)
}

func outgoing(msg *models.OutboxEntry, now time.Time) *Message {
	sum := sha256.Sum256([]byte(msg.DedupeKey))
	return &Message{OutboxID: msg.ID, MessageKey: "outbox." + strconv.FormatInt(msg.ID, 10) + "." + hex.EncodeToString(sum[:6]),
		ToEmail: msg.ToEmail, ToName: msg.ToName, Subject: msg.Subject, BodyText: msg.BodyText,
		ListUnsubscribe: msg.ListUnsubscribe, Date: now}
}
