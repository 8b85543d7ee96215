package routes_test

import (
	"context"
	"io"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"testing"

	"courseportal/models"
	outmail "courseportal/models/mail"
	"courseportal/models/testdb"
)

// mailLink is a single-use link in a mail body.
var mailLink = regexp.MustCompile(`http://portal\.test(/(?:password/reset|verify-email)/[A-Za-z0-9_-]+)`)

// outbox is a real SMTP server the test's mail is delivered to.
type outbox struct {
	t      *testing.T
	e      *env
	sink   *testdb.SMTPSink
	mailer *outmail.Worker
	seen   int
}

func (e *env) smtp(t *testing.T) *outbox {
	t.Helper()
	sink := testdb.NewSMTPSink(t)
	sender, err := outmail.SenderFromURL(sink.URL(), "Course Team <team@courses.test>")
	if err != nil {
		t.Fatal(err)
	}
	return &outbox{t: t, e: e, sink: sink, mailer: outmail.NewWorker(e.store, sender, testdb.Quiet)}
}

// deliver sends what the outbox holds and returns the messages the SMTP
// server received since the last call.
func (o *outbox) deliver() []*mail.Message {
	o.t.Helper()
	for {
		n, err := o.mailer.SendDue(context.Background())
		if err != nil {
			o.t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	all := o.sink.Messages()
	fresh := all[o.seen:]
	o.seen = len(all)
	return fresh
}

// linkTo delivers the mail and returns the path of the single-use link in
// the one new message to address whose subject contains subject.
func (o *outbox) linkTo(address, subject string) string {
	o.t.Helper()
	var links []string
	for _, m := range o.deliver() {
		if !strings.Contains(m.Header.Get("To"), address) || !strings.Contains(m.Header.Get("Subject"), subject) {
			continue
		}
		text := readBody(o.t, m)
		found := mailLink.FindStringSubmatch(text)
		if found == nil {
			o.t.Fatalf("mail %q to %s has no link:\n%s", m.Header.Get("Subject"), address, text)
		}
		links = append(links, found[1])
	}
	if len(links) != 1 {
		o.t.Fatalf("%d new mails to %s about %q, want 1", len(links), address, subject)
	}
	return links[0]
}

// confirmAddress opens the confirmation link of the welcome mail still in
// the outbox, as the person would from their inbox.
func confirmAddress(t *testing.T, e *env, c *client, address string) {
	t.Helper()
	var bodies []string
	err := e.store.DB().Model(&models.OutboxEntry{}).Where("to_email = ? AND kind = ?", address, models.MailVerifyEmail).
		Order("id DESC").Limit(1).Pluck("body_text", &bodies).Error
	if err != nil || len(bodies) != 1 {
		t.Fatalf("no confirmation mail to %s: %v", address, err)
	}
	link := mailLink.FindStringSubmatch(bodies[0])
	if link == nil {
		t.Fatalf("confirmation mail without a link:\n%s", bodies[0])
	}
	if res := c.get(link[1]); res.Status != http.StatusSeeOther {
		t.Fatalf("confirm %s = %d\n%s", address, res.Status, res.Body)
	}
}

// readBody reads a received message's text, undoing quoted-printable soft
// line breaks.
func readBody(t *testing.T, m *mail.Message) string {
	t.Helper()
	body, err := io.ReadAll(m.Body)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(body), "=\r\n", "")
}
