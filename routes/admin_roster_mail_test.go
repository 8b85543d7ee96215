package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/mail"
	"courseportal/models/testdb"
)

// remindBen queues a reminder to ben (at risk) and returns it.
func remindBen(t *testing.T, r *rosterClass) models.OutboxEntry {
	t.Helper()
	res, err := r.e.store.RemindCohort(context.Background(), r.instructor, r.Course, r.Cohort.ID, 7, "http://portal.test")
	if err != nil || res.Queued != 2 {
		t.Fatalf("remind = %+v, %v", res, err)
	}
	for _, m := range testdb.Outbox(t, r.e.store, models.MailReminder) {
		if m.ToEmail == r.Students["ben"].Email {
			return m
		}
	}
	t.Fatal("ben was not reminded")
	return models.OutboxEntry{}
}

func optedOut(t *testing.T, r *rosterClass, name string) bool {
	t.Helper()
	u, err := r.e.store.UserByID(context.Background(), r.Students[name].ID)
	if err != nil {
		t.Fatal(err)
	}
	return u.RemindersOptOut
}

func TestUnsubscribeLink(t *testing.T) {
	r := newRosterClass(t)
	msg := remindBen(t, r)
	path := strings.TrimPrefix(msg.ListUnsubscribe, "http://portal.test")
	if !strings.Contains(msg.BodyText, msg.ListUnsubscribe) || !strings.HasPrefix(path, "/unsubscribe/") {
		t.Fatalf("reminder link %q\n%s", msg.ListUnsubscribe, msg.BodyText)
	}
	// Anyone holding the link, signed in or not; a mail scanner's GET
	// changes nothing.
	local, domain, _ := strings.Cut(r.Students["ben"].Email, "@")
	masked := local[:1] + "•••" + local[len(local)-1:] + "@" + domain
	visitor := r.e.client()
	for range 2 {
		page := visitor.get(path)
		if page.Status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, page.Status)
		}
		mustContain(t, page.Body, "Stop reminder emails?", masked, `name="_csrf"`, `value="unsubscribe"`)
	}
	if res := r.e.client().do(httpHead(path)); res.Status != http.StatusOK {
		t.Fatalf("HEAD = %d", res.Status)
	}
	if optedOut(t, r, "ben") {
		t.Fatal("GET changed the preference")
	}
	if res := r.e.client().postForm(path, url.Values{"_csrf": {"forged"}}); res.Status != http.StatusForbidden || optedOut(t, r, "ben") {
		t.Fatalf("POST with a forged CSRF token = %d", res.Status)
	}
	res := visitor.postForm(path, url.Values{"action": {"unsubscribe"}})
	if res.Status != http.StatusOK || !optedOut(t, r, "ben") {
		t.Fatalf("POST = %d, opted out %v", res.Status, optedOut(t, r, "ben"))
	}
	mustContain(t, res.Body, "You are unsubscribed", "Turn reminders back on")

	// Ben is skipped from now on; the roster says so.
	r.e.clock.Advance(testdb.Day)
	if res, _ := r.e.store.RemindCohort(context.Background(), r.instructor, r.Course, r.Cohort.ID, 7, "http://portal.test"); res.OptedOut != 1 {
		t.Fatalf("the next day's reminder = %+v", res)
	}
	mustContain(t, r.e.login(r.instructor).get(r.url("/roster?show=at-risk")).Body, "reminders off")

	if res := visitor.postForm(path, url.Values{"action": {"resubscribe"}}); res.Status != http.StatusOK || optedOut(t, r, "ben") {
		t.Fatalf("resubscribe = %d", res.Status)
	}
	if res := visitor.postForm(path, url.Values{"action": {"delete-account"}}); res.Status != http.StatusBadRequest {
		t.Fatalf("unknown action = %d", res.Status)
	}

	// A forged or mangled token is unknown.
	token := strings.TrimPrefix(path, "/unsubscribe/")
	for _, bad := range []string{token[:len(token)-2] + "xx", "AQAAAAAAAAABAAAAAAAAAAAAAAAAAAAAAA", "nonsense"} {
		if res := visitor.get("/unsubscribe/" + bad); res.Status != http.StatusNotFound {
			t.Errorf("GET with token %q = %d", bad, res.Status)
		}
		if res := visitor.postForm("/unsubscribe/"+bad, nil); res.Status != http.StatusNotFound {
			t.Errorf("POST with token %q = %d", bad, res.Status)
		}
	}
}

func httpHead(path string) *http.Request {
	req, _ := http.NewRequest(http.MethodHead, path, nil)
	return req
}

func TestOutboxPages(t *testing.T) {
	r := newRosterClass(t)
	remindBen(t, r)
	reminder := testdb.Outbox(t, r.e.store, models.MailReminder)[0]
	welcome := testdb.Outbox(t, r.e.store, models.MailEnrolled)[0]

	admin := r.e.login(r.admin)
	res := admin.get("/admin/outbox")
	if res.Status != http.StatusOK {
		t.Fatalf("admin outbox = %d", res.Status)
	}
	mustContain(t, res.Body, "A reminder from "+r.Course.Title, "Welcome to "+r.Course.Title, "Waiting",
		fmt.Sprintf("/admin/outbox/%d", welcome.ID), `aria-current="page"`)
	msg := admin.get(fmt.Sprintf("/admin/outbox/%d", reminder.ID))
	if msg.Status != http.StatusOK {
		t.Fatalf("message = %d", msg.Status)
	}
	mustContain(t, msg.Body, "completed 0 of the 3 readings due so far", "/learn/"+r.Course.Slug, reminder.ListUnsubscribe, reminder.DedupeKey)

	// The instructor sees the mail about their course (reminders, and the
	// welcome mails found through their dedupe key), not another course's.
	other, _ := testdb.Course(t, r.e.store, 1, models.Cohort{})
	if _, err := r.e.store.Enroll(context.Background(), r.Students["ada"].ID, other); err != nil {
		t.Fatal(err)
	}
	elsewhere := testdb.Outbox(t, r.e.store, models.MailEnrolled)
	otherWelcome := elsewhere[len(elsewhere)-1]
	teacher := r.e.login(r.instructor)
	res = teacher.get("/admin/outbox")
	mustContain(t, res.Body, "A reminder from "+r.Course.Title, "Welcome to "+r.Course.Title)
	if strings.Contains(res.Body, "Welcome to "+other.Title) {
		t.Error("the instructor sees another course's mail")
	}
	for id, want := range map[int64]int{welcome.ID: http.StatusOK, reminder.ID: http.StatusOK, otherWelcome.ID: http.StatusNotFound} {
		if res := teacher.get(fmt.Sprintf("/admin/outbox/%d", id)); res.Status != want {
			t.Errorf("instructor reads message %d: %d, want %d", id, res.Status, want)
		}
	}
	if res := admin.get(fmt.Sprintf("/admin/outbox/%d", otherWelcome.ID)); res.Status != http.StatusOK || !strings.Contains(res.Body, other.Title) {
		t.Errorf("admin reads the other course's welcome: %d", res.Status)
	}
	outsider := testdb.User(t, r.e.store, models.RoleInstructor)
	if res := r.e.login(outsider).get(fmt.Sprintf("/admin/outbox/%d", reminder.ID)); res.Status != http.StatusNotFound {
		t.Errorf("another course's instructor reads the reminder: %d", res.Status)
	}
	if res := r.e.login(r.Students["ben"]).get(fmt.Sprintf("/admin/outbox/%d", reminder.ID)); res.Status != http.StatusForbidden {
		t.Errorf("a student reads the outbox: %d", res.Status)
	}

	for q, want := range map[string]int{"?status=sent": 200, "?status=pending": 200, "?status=lost": 422, "?before=x": 400} {
		if res := admin.get("/admin/outbox" + q); res.Status != want {
			t.Errorf("outbox%s = %d, want %d", q, res.Status, want)
		}
	}
	// Like every id in a path, one that is not a number names no message.
	if res := admin.get("/admin/outbox/abc"); res.Status != http.StatusNotFound {
		t.Errorf("message abc = %d, want 404", res.Status)
	}
	if res := admin.get("/admin/outbox?status=sent"); !strings.Contains(res.Body, "No messages with this status") {
		t.Error("empty sent tab")
	}
}

// TestOneClickUnsubscribe follows RFC 8058 from a delivered reminder: the
// headers name the link and the one-click POST, and a mail client's POST of
// "List-Unsubscribe=One-Click" with no cookie and no CSRF token turns the
// reminders off, while nothing else goes without the token.
func TestOneClickUnsubscribe(t *testing.T) {
	r := newRosterClass(t)
	remindBen(t, r)
	sink := testdb.NewSMTPSink(t)
	sender, err := mail.SenderFromURL(sink.URL(), "Course Team <team@courses.test>")
	if err != nil {
		t.Fatal(err)
	}
	worker := mail.NewWorker(r.e.store, sender, testdb.Quiet)
	worker.BaseURL = "http://portal.test"
	if _, err := worker.SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	var link string
	for _, msg := range sink.Messages() {
		if !strings.Contains(msg.Header.Get("To"), r.Students["ben"].Email) || msg.Header.Get("List-Unsubscribe") == "" {
			continue
		}
		if got := msg.Header.Get("List-Unsubscribe-Post"); got != "List-Unsubscribe=One-Click" {
			t.Fatalf("List-Unsubscribe-Post = %q", got)
		}
		header := msg.Header.Get("List-Unsubscribe")
		if !strings.HasPrefix(header, "<http://portal.test/unsubscribe/") || !strings.HasSuffix(header, ">") {
			t.Fatalf("List-Unsubscribe = %q", header)
		}
		link = strings.TrimSuffix(strings.TrimPrefix(header, "<http://portal.test"), ">")
	}
	if link == "" {
		t.Fatal("ben's reminder was not delivered with a List-Unsubscribe header")
	}

	// A bare POST without the one-click body, or asking to resubscribe
	// with it, is still held to the CSRF check or the one-click rule.
	bare := func(body string) response {
		req := httptest.NewRequest(http.MethodPost, link, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r.e.client().do(req)
	}
	if res := bare("action=unsubscribe"); res.Status != http.StatusForbidden || optedOut(t, r, "ben") {
		t.Fatalf("POST without CSRF token or one-click body = %d", res.Status)
	}
	// The GET still only asks.
	if res := r.e.client().get(link); res.Status != http.StatusOK || optedOut(t, r, "ben") {
		t.Fatalf("GET = %d, opted out %v", res.Status, optedOut(t, r, "ben"))
	}
	if res := bare("List-Unsubscribe=One-Click&action=resubscribe"); res.Status != http.StatusOK || !optedOut(t, r, "ben") {
		t.Fatalf("one-click POST = %d, opted out %v", res.Status, optedOut(t, r, "ben"))
	}
	// Again (clients retry) is harmless; a forged token is unknown.
	if res := bare("List-Unsubscribe=One-Click"); res.Status != http.StatusOK || !optedOut(t, r, "ben") {
		t.Fatalf("second one-click POST = %d", res.Status)
	}
	req := httptest.NewRequest(http.MethodPost, link[:len(link)-2]+"xx", strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res := r.e.client().do(req); res.Status != http.StatusNotFound {
		t.Fatalf("one-click POST with a forged token = %d", res.Status)
	}
	// The exemption is this route's alone: the same body elsewhere is
	// refused without a token.
	req = httptest.NewRequest(http.MethodPost, "/logout", strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if res := r.e.client().do(req); res.Status != http.StatusForbidden {
		t.Fatalf("one-click body on /logout = %d, want 403", res.Status)
	}
}
