package mail_test

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/mail"
	"courseportal/models/testdb"
)

// queueEnrollments enrolls n people, which queues n welcome messages.
func queueEnrollments(t testing.TB, store *models.Store, n int) {
	t.Helper()
	course, _ := testdb.Course(t, store, 1, models.Cohort{})
	for range n {
		u := testdb.User(t, store, models.RoleStudent)
		if _, err := store.Enroll(context.Background(), u.ID, course); err != nil {
			t.Fatal(err)
		}
	}
}

func mailerFor(t testing.TB, store *models.Store, sink *testdb.SMTPSink) *mail.Worker {
	t.Helper()
	sender, err := mail.SenderFromURL(sink.URL(), "Course Team <team@courses.test>")
	if err != nil {
		t.Fatal(err)
	}
	return mail.NewWorker(store, sender, testdb.Quiet)
}

func TestMailerDeliversOverSMTPOnce(t *testing.T) {
	store, clock := testdb.Open(t)
	sink := testdb.NewSMTPSink(t)
	queueEnrollments(t, store, 1)
	m := mailerFor(t, store, sink)
	if n, err := m.SendDue(context.Background()); err != nil || n != 1 {
		t.Fatalf("SendDue = %d, %v", n, err)
	}
	if n, err := m.SendDue(context.Background()); err != nil || n != 0 {
		t.Fatalf("second SendDue = %d, %v; want nothing left", n, err)
	}
	got := sink.Messages()
	if len(got) != 1 {
		t.Fatalf("sink received %d messages", len(got))
	}
	row := testdb.Outbox(t, store, "")[0]
	h := got[0].Header
	body, _ := io.ReadAll(got[0].Body)
	if !strings.Contains(h.Get("To"), row.ToEmail) || h.Get("Subject") != row.Subject ||
		!strings.Contains(h.Get("From"), "team@courses.test") || !strings.HasSuffix(h.Get("Message-Id"), "@courses.test>") ||
		!strings.Contains(string(body), "You are enrolled") {
		t.Fatalf("received headers %v\n%s", h, body)
	}
	if row.Status != models.MailSent || row.SentAt == nil || !row.SentAt.Equal(clock.Now()) || row.Attempts != 1 || row.LockedUntil != nil {
		t.Fatalf("outbox row after delivery = %+v", row.OutboxMessage)
	}
}

func TestMailerWithoutSMTPKeepsMailInTheOutbox(t *testing.T) {
	store, _ := testdb.Open(t)
	queueEnrollments(t, store, 2)
	sender, err := mail.SenderFromURL("", "")
	if err != nil || sender != nil {
		t.Fatalf("no SMTP_URL gives sender %v, %v", sender, err)
	}
	if n, err := mail.NewWorker(store, nil, nil).SendDue(context.Background()); n != 0 || err != nil {
		t.Fatalf("SendDue without SMTP = %d, %v", n, err)
	}
	for _, r := range testdb.Outbox(t, store, "") {
		if r.Status != models.MailPending || r.Attempts != 0 {
			t.Fatalf("row %+v changed without a server", r.OutboxMessage)
		}
	}
}

// TestTwoMailersDeliverEachMessageOnce runs two workers with their own
// connection pools (as two instances would) over one database.
func TestTwoMailersDeliverEachMessageOnce(t *testing.T) {
	dbURL := testdb.URL(t)
	clock := &models.FixedClock{T: testdb.Start}
	db1, dialect := testdb.OpenDB(t, dbURL)
	db2, _ := testdb.OpenDB(t, dbURL)
	store1, store2 := models.NewStore(db1, dialect, clock), models.NewStore(db2, dialect, clock)
	const total = 60
	queueEnrollments(t, store1, total)
	sink := testdb.NewSMTPSink(t)
	var wg sync.WaitGroup
	sent := make([]int, 2)
	start := make(chan struct{}) // both workers begin together
	for i, store := range []*models.Store{store1, store2} {
		m := mailerFor(t, store, sink)
		m.Batch = 7
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			for idle := 0; idle < 3; {
				n, err := m.SendDue(context.Background())
				if err != nil {
					t.Errorf("worker %d: %v", i, err)
					return
				}
				sent[i] += n
				if n == 0 {
					idle++
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	seen := map[string]int{}
	for _, msg := range sink.Messages() {
		seen[msg.Header.Get("To")]++
	}
	if len(sink.Messages()) != total || len(seen) != total || sent[0]+sent[1] != total {
		t.Fatalf("the sink received %d messages for %d recipients (workers report %v), want %d exactly once", len(sink.Messages()), len(seen), sent, total)
	}
	for _, r := range testdb.Outbox(t, store1, "") {
		if r.Status != models.MailSent || r.Attempts != 1 {
			t.Fatalf("row %d: %s after %d attempts", r.ID, r.Status, r.Attempts)
		}
	}
	// Sharing is the point: each worker must have sent part of the mail.
	if sent[0] == 0 || sent[1] == 0 {
		t.Fatalf("one worker sent everything (worker 1 sent %d, worker 2 sent %d)", sent[0], sent[1])
	}
	t.Logf("worker 1 sent %d, worker 2 sent %d", sent[0], sent[1])
}

func TestMailerRetriesWithBackoffThenGivesUp(t *testing.T) {
	store, clock := testdb.Open(t)
	sink := testdb.NewSMTPSink(t)
	queueEnrollments(t, store, 1)
	m := mailerFor(t, store, sink)
	m.MaxAttempts = 4
	ctx := context.Background()

	sink.RefuseWith(451) // temporary
	for attempt, wait := 1, time.Minute; attempt <= 2; attempt, wait = attempt+1, wait*2 {
		if n, err := m.SendDue(ctx); n != 0 || err != nil {
			t.Fatalf("attempt %d: sent %d, %v", attempt, n, err)
		}
		row := testdb.Outbox(t, store, "")[0]
		if row.Status != models.MailPending || row.Attempts != attempt || !strings.Contains(row.LastError, "451") ||
			!row.NextAttemptAt.Equal(clock.Now().Add(wait)) || row.LockedUntil != nil {
			t.Fatalf("after attempt %d: %+v (want next in %v)", attempt, row.OutboxMessage, wait)
		}
		clock.Advance(wait - time.Second)
		if n, _ := m.SendDue(ctx); n != 0 || testdb.Outbox(t, store, "")[0].Attempts != attempt {
			t.Fatalf("retried before the backoff elapsed")
		}
		clock.Advance(time.Second)
	}
	sink.RefuseWith(0) // the server is back
	if n, err := m.SendDue(ctx); n != 1 || err != nil {
		t.Fatalf("after recovery: sent %d, %v", n, err)
	}
	if row := testdb.Outbox(t, store, "")[0]; row.Status != models.MailSent || row.Attempts != 3 || len(sink.Messages()) != 1 {
		t.Fatalf("after recovery: %+v, %d delivered", row.OutboxMessage, len(sink.Messages()))
	}

	// A message that keeps failing gives up after MaxAttempts.
	queueEnrollments(t, store, 1)
	sink.RefuseWith(421)
	for range 4 {
		_, _ = m.SendDue(ctx)
		clock.Advance(time.Hour)
	}
	if row := testdb.Outbox(t, store, "")[1]; row.Status != models.MailFailed || row.Attempts != 4 {
		t.Fatalf("after 4 failures: %+v", row.OutboxMessage)
	}
	clock.Advance(24 * time.Hour)
	if n, _ := m.SendDue(ctx); n != 0 || testdb.Outbox(t, store, "")[1].Attempts != 4 {
		t.Fatal("a failed message was tried again")
	}
}

func TestMailerGivesUpAtOnceOnPermanentRefusal(t *testing.T) {
	store, _ := testdb.Open(t)
	sink := testdb.NewSMTPSink(t)
	queueEnrollments(t, store, 1)
	sink.RefuseWith(550)
	if _, err := mailerFor(t, store, sink).SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	if row := testdb.Outbox(t, store, "")[0]; row.Status != models.MailFailed || row.Attempts != 1 || !strings.Contains(row.LastError, "550") {
		t.Fatalf("after a 550: %+v", row.OutboxMessage)
	}
}

func TestMailerRetriesWhenTheServerIsDown(t *testing.T) {
	store, _ := testdb.Open(t)
	sink := testdb.NewSMTPSink(t)
	queueEnrollments(t, store, 1)
	m := mailerFor(t, store, sink)
	sink.Stop()
	if n, err := m.SendDue(context.Background()); n != 0 || err != nil {
		t.Fatalf("server down: sent %d, %v", n, err)
	}
	if row := testdb.Outbox(t, store, "")[0]; row.Status != models.MailPending || row.Attempts != 1 || row.LastError == "" {
		t.Fatalf("server down: %+v", row.OutboxMessage)
	}
}

// TestAnExpiredLeaseIsReclaimed: a worker that crashed holding a claim
// blocks its messages only until the lease runs out.
func TestAnExpiredLeaseIsReclaimed(t *testing.T) {
	store, clock := testdb.Open(t)
	sink := testdb.NewSMTPSink(t)
	queueEnrollments(t, store, 1)
	err := store.DB().Exec("UPDATE outbox SET claim_token = ?, locked_until = ?, attempts = 1", "crashed-worker", clock.Now().Add(5*time.Minute)).Error
	if err != nil {
		t.Fatal(err)
	}
	m := mailerFor(t, store, sink)
	if n, _ := m.SendDue(context.Background()); n != 0 {
		t.Fatal("a message under another worker's live lease was sent")
	}
	clock.Advance(5*time.Minute + time.Second)
	if n, err := m.SendDue(context.Background()); n != 1 || err != nil {
		t.Fatalf("after the lease: sent %d, %v", n, err)
	}
	if row := testdb.Outbox(t, store, "")[0]; row.Status != models.MailSent || row.Attempts != 2 {
		t.Fatalf("reclaimed row = %+v", row.OutboxMessage)
	}
}

func TestMailerRunStopsWithItsContext(t *testing.T) {
	store, _ := testdb.Open(t)
	sink := testdb.NewSMTPSink(t)
	queueEnrollments(t, store, 3)
	m := mailerFor(t, store, sink)
	m.PollInterval = 10 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); m.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for len(sink.Messages()) < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
	if len(sink.Messages()) != 3 {
		t.Fatalf("Run delivered %d of 3", len(sink.Messages()))
	}
}

func TestSMTPURLs(t *testing.T) {
	for _, bad := range []string{"http://host", "smtp://", "smtp://host:99999", "smtp://host?tls=maybe", "::"} {
		if _, err := mail.NewSMTPSender(bad, ""); err == nil {
			t.Errorf("SMTP_URL %q accepted", bad)
		}
	}
	if _, err := mail.NewSMTPSender("smtp://host", "not an address"); err == nil {
		t.Error("a bad MAIL_FROM was accepted")
	}
	for _, good := range []string{"smtp://user:p%40ss@mail.example.org:587", "smtps://mail.example.org", "smtp://relay?tls=required"} {
		if _, err := mail.NewSMTPSender(good, mail.DefaultFrom); err != nil {
			t.Errorf("SMTP_URL %q: %v", good, err)
		}
	}
}

func TestReminderEmailCarriesItsUnsubscribeLink(t *testing.T) {
	store, clock := testdb.Open(t)
	c := testdb.NewClass(t, store, clock, models.PacingScheduled)
	c.SeedFive(t)
	admin := testdb.User(t, c.Store, models.RoleAdmin)
	if _, err := c.Store.RemindCohort(context.Background(), admin, c.Course, c.Cohort.ID, 7, "https://portal.test"); err != nil {
		t.Fatal(err)
	}
	sink := testdb.NewSMTPSink(t)
	m := mailerFor(t, c.Store, sink)
	m.Batch = 100
	if _, err := m.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	var ben models.OutboxEntry
	for _, r := range testdb.Outbox(t, c.Store, models.MailReminder) {
		if r.ToName == "ben" {
			ben = r
		}
	}
	for _, msg := range sink.Messages() {
		if !strings.Contains(msg.Header.Get("To"), ben.ToEmail) || msg.Header.Get("Subject") != ben.Subject {
			continue
		}
		body, _ := io.ReadAll(msg.Body)
		if msg.Header.Get("List-Unsubscribe") != "<"+ben.ListUnsubscribe+">" || !strings.Contains(string(body), ben.ListUnsubscribe) ||
			msg.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" ||
			!strings.HasPrefix(ben.ListUnsubscribe, "https://portal.test/unsubscribe/") {
			t.Fatalf("reminder headers %v\n%s", msg.Header, body)
		}
		return
	}
	t.Fatal("ben's reminder was not delivered")
}
