package routes_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"courseportal/models"
)

// Joining signs in and enrolls at once; the welcome mail's link confirms the
// address; until then the dashboard asks for it and can send a new link, a
// few times an hour; only the newest link works, once.
func TestEmailVerificationAndResend(t *testing.T) {
	e := newEnv(t)
	mail := e.smtp(t)
	const email = "farid.ahmadi@example.org"
	c := joinSeeded(t, e, "Farid Ahmadi")
	dash := c.get("/dashboard")
	mustContain(t, dash.Body, "Please confirm your email address", email, "/account/verification/resend")
	welcome := mail.linkTo(email, "Welcome! Please confirm")

	if res := c.postForm("/account/verification/resend", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("resend = %d", res.Status)
	}
	latest := mail.linkTo(email, "Please confirm your email address")
	if res := c.get(welcome); res.Status != http.StatusGone {
		t.Fatalf("the replaced welcome link = %d, want 410", res.Status)
	}
	for range models.VerificationResends.Max - 1 {
		if res := c.postForm("/account/verification/resend", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("resend = %d", res.Status)
		}
		latest = mail.linkTo(email, "Please confirm your email address")
	}
	if res := c.postForm("/account/verification/resend", nil); res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("resend over the limit = %d, want 429 with Retry-After", res.Status)
	}

	// Opened on another device, without a session: it still confirms.
	res := e.client().get(latest)
	mustRedirect(t, res, "/login")
	if res := e.client().get(latest); res.Status != http.StatusGone {
		t.Fatalf("a used link = %d, want 410", res.Status)
	}
	u, err := e.store.UserByEmail(context.Background(), email)
	if err != nil || !u.Verified() {
		t.Fatalf("after the link: %+v, %v", u, err)
	}
	if dash := c.get("/dashboard"); strings.Contains(dash.Body, "Please confirm your email address") {
		t.Fatal("the dashboard still asks to confirm a confirmed address")
	}
}

// Reminders go to confirmed addresses only, and staff see who confirmed.
func TestRemindersSkipUnconfirmedAddresses(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	course, err := e.store.CourseBySlug(ctx, courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	joinSeeded(t, e, "Unconfirmed Student")
	confirmed := joinSeeded(t, e, "Confirmed Student")
	confirmAddress(t, e, confirmed, "confirmed.student@example.org")
	teacher, _ := e.instructorOf(course)
	roster := teacher.get("/admin/courses/" + courseSlug + "/roster")
	if n := strings.Count(roster.Body, "email not confirmed"); n != 1 {
		t.Fatalf("the roster marks %d people unconfirmed, want 1", n)
	}
	cohort, err := e.store.OpenCohort(ctx, course.ID)
	if err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(8 * 24 * time.Hour)
	res, err := e.store.RemindCohort(ctx, &models.User{ID: 1}, course, cohort.ID, 7, "http://portal.test")
	if err != nil {
		t.Fatal(err)
	}
	if res.Queued != 1 || res.Unverified != 1 {
		t.Fatalf("reminders = %+v, want one queued and one skipped as unconfirmed", res)
	}
	var to []string
	if err := e.store.DB().Model(&models.OutboxEntry{}).Where("kind = ?", models.MailReminder).Pluck("to_email", &to).Error; err != nil {
		t.Fatal(err)
	}
	if len(to) != 1 || to[0] != "confirmed.student@example.org" {
		t.Fatalf("reminded %v", to)
	}
	if _, err := e.store.QueueWeeklyReminders(ctx, "http://portal.test"); err != nil {
		t.Fatal(err)
	}
	var weekly []string
	if err := e.store.DB().Model(&models.OutboxEntry{}).Where("kind = ?", models.MailWeeklyReminder).Pluck("to_email", &weekly).Error; err != nil {
		t.Fatal(err)
	}
	if len(weekly) != 1 || weekly[0] != "confirmed.student@example.org" {
		t.Fatalf("weekly reminders to %v", weekly)
	}
}

// A new address replaces the old one only once the link sent to the new
// address is opened; the old address gets no link, only the news.
func TestEmailChangeIsConfirmedFromTheNewAddress(t *testing.T) {
	e := newEnv(t)
	mail := e.smtp(t)
	const oldEmail, newEmail, password = "old.address@example.org", "new.address@example.org", "a good passphrase"
	c := e.client()
	c.signup("Mina Rahimi", oldEmail, password)
	taken := e.client()
	taken.signup("Someone Else", "taken@example.org", password)
	mail.deliver()

	change := func(email, current string) response {
		return c.postForm("/account/email", url.Values{"email": {email}, "current_password": {current}})
	}
	if res := change(newEmail, "wrong password"); res.Status != http.StatusUnauthorized ||
		!strings.Contains(res.Body, "That password is not right") {
		t.Fatalf("a wrong password = %d", res.Status)
	}
	if res := change("taken@example.org", password); res.Status != http.StatusConflict {
		t.Fatalf("an address of another account = %d, want 409", res.Status)
	}
	if res := change("not-an-address", password); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a malformed address = %d, want 422", res.Status)
	}
	mustRedirect(t, change(newEmail, password), "/account")
	if page := c.get("/account"); !strings.Contains(page.Body, "Waiting for confirmation from") {
		t.Fatal("the account page does not show the pending address")
	}
	u, err := e.store.UserByEmail(context.Background(), oldEmail)
	if err != nil {
		t.Fatalf("the account changed before confirmation: %v", err)
	}
	msgs := mail.deliver()
	var link string
	for _, m := range msgs {
		body := readBody(t, m)
		switch {
		case strings.Contains(m.Header.Get("To"), oldEmail):
			t.Errorf("the old address got %q before the change", m.Header.Get("Subject"))
		case strings.Contains(m.Header.Get("To"), newEmail):
			if found := mailLink.FindStringSubmatch(body); found != nil {
				link = found[1]
			}
		}
	}
	if link == "" {
		t.Fatalf("no confirmation link reached the new address (%d messages)", len(msgs))
	}
	mustRedirect(t, c.get(link), "/account")
	changed, err := e.store.UserByID(context.Background(), u.ID)
	if err != nil || changed.Email != newEmail || !changed.Verified() {
		t.Fatalf("after confirmation: %+v, %v", changed, err)
	}
	var toldOld bool
	for _, m := range mail.deliver() {
		if strings.Contains(m.Header.Get("To"), oldEmail) && strings.Contains(m.Header.Get("Subject"), "email address was changed") {
			toldOld = true
			if mailLink.MatchString(readBody(t, m)) {
				t.Error("the notice to the old address carries a link")
			}
		}
	}
	if !toldOld {
		t.Fatal("the old address was not told")
	}
	if res := e.client().postForm("/login", url.Values{"email": {newEmail}, "password": {password}}); res.Status != http.StatusSeeOther {
		t.Fatalf("login with the new address = %d", res.Status)
	}
	if res := c.get(link); res.Status != http.StatusGone {
		t.Fatalf("the used link = %d, want 410", res.Status)
	}
}
