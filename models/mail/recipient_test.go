package mail_test

import (
	"context"
	netmail "net/mail"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// Every name sign-up accepts, and names stored before the rules tightened,
// reach the recipient exactly as written, on the first attempt.
func TestMailReachesUnusualNamesAsWritten(t *testing.T) {
	store, _ := testdb.Open(t)
	sink := testdb.NewSMTPSink(t)
	course, _ := testdb.Course(t, store, 1, models.Cohort{})
	names := []string{
		`Ahmad "Ali" Rahimi`,
		`Zoë "Z" <zoe@example.net>`,
		`O'Brien, Jr. (Dr.)`,
		`احمد رحیمی`,
		"می\u200cخواهم زهرا",
		`back\slash; semi:colon @at`,
		"legacy \x1b[31mred\x07",
		"=?utf-8?q?looks_encoded?=",
	}
	wanted := map[string]string{}
	for _, name := range names {
		u := testdb.User(t, store, models.RoleStudent)
		if err := store.DB().Model(u).Update("full_name", name).Error; err != nil {
			t.Fatal(err)
		}
		if _, err := store.Enroll(context.Background(), u.ID, course); err != nil {
			t.Fatal(err)
		}
		wanted[u.Email] = name
	}
	if n, err := mailerFor(t, store, sink).SendDue(context.Background()); err != nil || n != len(names) {
		t.Fatalf("SendDue = %d, %v; want %d", n, err, len(names))
	}
	for _, r := range testdb.Outbox(t, store, "") {
		if r.Status != models.MailSent || r.Attempts != 1 {
			t.Errorf("mail to %q: %s after %d attempts (%s)", r.ToName, r.Status, r.Attempts, r.LastError)
		}
	}
	got := map[string]string{}
	for _, msg := range sink.Messages() {
		raw := msg.Header.Get("To")
		if strings.IndexFunc(raw, func(r rune) bool { return r > 0x7e || (r < 0x20 && r != '\t') }) >= 0 {
			t.Errorf("raw To header is not plain ASCII: %q", raw)
		}
		addr, err := netmail.ParseAddress(raw)
		if err != nil {
			t.Errorf("raw To header %q does not parse: %v", raw, err)
			continue
		}
		got[addr.Address] = addr.Name
	}
	for email, name := range wanted {
		if got[email] != name {
			t.Errorf("%s received the name %q, want %q", email, got[email], name)
		}
	}
}
