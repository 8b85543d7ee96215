package mail

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// DefaultFrom is the sender when MAIL_FROM is not set.
const DefaultFrom = "courseportal <no-reply@localhost>"

// SMTPSender delivers mail through an SMTP server with go-mail.
type SMTPSender struct {
	host     string
	opts     []gomail.Option
	fromName string
	fromAddr string
	domain   string
}

// SenderFromURL builds the SMTP sender of SMTP_URL, or returns nil (no
// delivery: mail waits in the outbox) when smtpURL is empty. The sender
// address is checked either way, so a bad one is found at start-up.
func SenderFromURL(smtpURL, from string) (Sender, error) {
	if smtpURL == "" {
		_, err := parseFrom(from)
		return nil, err
	}
	return NewSMTPSender(smtpURL, from)
}

// NewSMTPSender reads an SMTP URL: smtp://[user:pass@]host[:port] uses
// STARTTLS when the server offers it (port 587 by default), smtps:// is TLS
// from the first byte (port 465). The query may say tls=required (refuse a
// server without STARTTLS) or tls=none (a local relay). Credentials are only
// ever sent over an encrypted connection or with a challenge mechanism.
func NewSMTPSender(smtpURL, from string) (*SMTPSender, error) {
	u, err := url.Parse(smtpURL)
	if err != nil || u.Hostname() == "" || (u.Scheme != "smtp" && u.Scheme != "smtps") {
		return nil, errors.New("SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465")
	}
	addr, err := parseFrom(from)
	if err != nil {
		return nil, err
	}
	s := &SMTPSender{host: u.Hostname(), fromName: addr.Name, fromAddr: addr.Address,
		domain: addr.Address[strings.LastIndexByte(addr.Address, '@')+1:]}
	port := 587
	if u.Scheme == "smtps" {
		port = 465
		s.opts = append(s.opts, gomail.WithSSL())
	} else {
		policy, err := tlsPolicy(u.Query().Get("tls"))
		if err != nil {
			return nil, err
		}
		s.opts = append(s.opts, gomail.WithTLSPolicy(policy))
	}
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil || port < 1 || port > 65535 {
			return nil, fmt.Errorf("SMTP_URL has a bad port %q", p)
		}
	}
	s.opts = append(s.opts, gomail.WithPort(port), gomail.WithTimeout(30*time.Second))
	if user := u.User.Username(); user != "" {
		pass, _ := u.User.Password()
		s.opts = append(s.opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover),
			gomail.WithUsername(user), gomail.WithPassword(pass))
	}
	return s, nil
}

// parseFrom reads MAIL_FROM; empty means DefaultFrom.
func parseFrom(from string) (*netmail.Address, error) {
	if from == "" {
		from = DefaultFrom
	}
	addr, err := netmail.ParseAddress(from)
	if err != nil {
		return nil, fmt.Errorf("MAIL_FROM must be an address like \"Course Team <team@example.org>\": %w", err)
	}
	return addr, nil
}

func tlsPolicy(v string) (gomail.TLSPolicy, error) {
	switch v {
	case "", "opportunistic":
		return gomail.TLSOpportunistic, nil
	case "required":
		return gomail.TLSMandatory, nil
	case "none":
		return gomail.NoTLS, nil
	}
	return 0, fmt.Errorf("SMTP_URL: tls must be opportunistic, required or none, got %q", v)
}

// Send delivers one message over a fresh connection. Only a refusal the
// server calls permanent (5xx) is a PermanentError.
func (s *SMTPSender) Send(ctx context.Context, m *Message) error {
	msg := s.message(m)
	client, err := gomail.NewClient(s.host, s.opts...)
	if err != nil {
		return fmt.Errorf("smtp: %w", err)
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) && !se.IsTemp() && se.ErrorCode() >= 500 {
			return &PermanentError{Err: fmt.Errorf("smtp: %w", err)}
		}
		return fmt.Errorf("smtp: %w", err)
	}
	return nil
}

// message builds the MIME message: plain text, a stable Message-ID and, for
// reminders, a List-Unsubscribe header with RFC 8058's one-click
// List-Unsubscribe-Post beside it (mail clients then POST
// "List-Unsubscribe=One-Click" to the link). Building it cannot fail, so
// nothing the portal stored can make a message undeliverable.
func (s *SMTPSender) message(m *Message) *gomail.Msg {
	msg := gomail.NewMsg()
	msg.FromMailAddress(&netmail.Address{Name: s.fromName, Address: s.fromAddr})
	// net/mail quotes the name (RFC 5322) or encodes it (RFC 2047), so any
	// name, quotes and angle brackets included, arrives as written.
	msg.AddToMailAddress(&netmail.Address{Name: m.ToName, Address: m.ToEmail})
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageKey + "@" + s.domain)
	msg.SetDateWithValue(m.Date)
	msg.SetBodyString(gomail.TypeTextPlain, m.BodyText)
	if m.ListUnsubscribe != "" {
		msg.SetGenHeader(gomail.HeaderListUnsubscribe, "<"+m.ListUnsubscribe+">")
		msg.SetGenHeader(gomail.HeaderListUnsubscribePost, "List-Unsubscribe=One-Click")
	}
	return msg
}
