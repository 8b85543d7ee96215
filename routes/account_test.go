package routes_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"courseportal/models"
)

// The account page changes the name, the password (with the current one,
// ending every other session), the reminder preference, and lists the
// sessions with their device, ending the others on request.
func TestAccountPage(t *testing.T) {
	e := newEnv(t)
	other := e.instance()
	mail := e.smtp(t)
	const email, password = "layla.karimi@example.org", "first passphrase"
	c := e.client()
	c.signup("Layla Karimi", email, password)
	phone := other.client()
	req := func(path string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, path, strings.NewReader(url.Values{"email": {email}, "password": {password},
			"_csrf": {phone.csrf()}}.Encode()))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("User-Agent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36")
		return r
	}
	if res := phone.do(req("/login")); res.Status != http.StatusSeeOther {
		t.Fatalf("phone login = %d", res.Status)
	}

	page := c.get("/account")
	if page.Status != http.StatusOK {
		t.Fatalf("account = %d", page.Status)
	}
	mustContain(t, page.Body, "Layla Karimi", email, "Not confirmed", "Chrome on Android", "this device",
		"Sign out everywhere else", "Reminders are now <strong>on</strong>", "Download my data", "Delete my account")

	// Name.
	if res := c.postForm("/account/profile", url.Values{"full_name": {"  "}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("an empty name = %d", res.Status)
	}
	mustRedirect(t, c.postForm("/account/profile", url.Values{"full_name": {"Layla  Karimi-Noor"}}), "/account")
	if u := e.userOf(email); u.FullName != "Layla Karimi-Noor" {
		t.Fatalf("name = %q", u.FullName)
	}

	// Reminder preference, the same switch as the unsubscribe link.
	mustRedirect(t, c.postForm("/account/preferences", url.Values{"reminders": {"off"}}), "/account")
	if !e.userOf(email).RemindersOptOut {
		t.Fatal("reminders still on")
	}
	if res := c.postForm("/account/preferences", url.Values{"reminders": {"maybe"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a bad preference = %d", res.Status)
	}
	mustRedirect(t, c.postForm("/account/preferences", url.Values{"reminders": {"on"}}), "/account")
	if e.userOf(email).RemindersOptOut {
		t.Fatal("reminders still off")
	}

	// Ending the other sessions keeps this one.
	mustRedirect(t, c.postForm("/account/sessions/revoke-others", nil), "/account")
	if res := phone.get("/dashboard"); res.Status != http.StatusSeeOther {
		t.Fatalf("the phone is still signed in (%d)", res.Status)
	}
	if res := c.get("/dashboard"); res.Status != http.StatusOK {
		t.Fatalf("this browser was signed out too (%d)", res.Status)
	}

	// Password: the current one is required; the new one follows the rules.
	if res := c.postForm("/account/password", url.Values{"current_password": {"wrong"}, "password": {"second passphrase"}}); res.Status != http.StatusUnauthorized {
		t.Fatalf("a wrong current password = %d", res.Status)
	}
	if res := c.postForm("/account/password", url.Values{"current_password": {password}, "password": {"short"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a short new password = %d", res.Status)
	}
	second := other.client()
	if res := second.postForm("/login", url.Values{"email": {email}, "password": {password}}); res.Status != http.StatusSeeOther {
		t.Fatalf("second login = %d", res.Status)
	}
	mustRedirect(t, c.postForm("/account/password", url.Values{"current_password": {password}, "password": {"second passphrase"}}), "/account")
	if res := c.get("/account"); res.Status != http.StatusOK {
		t.Fatalf("this browser was not signed in again (%d)", res.Status)
	}
	if res := second.get("/dashboard"); res.Status != http.StatusSeeOther {
		t.Fatalf("another session survived the password change (%d)", res.Status)
	}
	if res := e.client().postForm("/login", url.Values{"email": {email}, "password": {"second passphrase"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("the new password does not sign in (%d)", res.Status)
	}
	var told bool
	for _, m := range mail.deliver() {
		told = told || strings.Contains(m.Header.Get("Subject"), "Your password was changed")
	}
	if !told {
		t.Fatal("the person was not told of the password change")
	}
	if res := e.client().get("/account"); res.Status != http.StatusSeeOther {
		t.Fatalf("account without a session = %d, want a redirect to log in", res.Status)
	}
	for _, path := range []string{"/account/profile", "/account/password", "/account/email", "/account/delete"} {
		if res := c.do(formWithoutCSRF(path)); res.Status != http.StatusForbidden {
			t.Errorf("%s without a CSRF token = %d, want 403", path, res.Status)
		}
	}
}

func formWithoutCSRF(path string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, path, strings.NewReader("full_name=x"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return r
}

// Guessing the current password on the account page counts like failed
// sign-ins: a borrowed session cannot guess faster than the login form.
func TestAccountPasswordGuessesAreThrottled(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.signup("Guess Target", "guess.target@example.org", "the real passphrase")
	for i := range models.LoginFailureLimit {
		if res := c.postForm("/account/email", url.Values{"email": {"x@example.org"}, "current_password": {"guess"}}); res.Status != http.StatusUnauthorized {
			t.Fatalf("guess %d = %d", i+1, res.Status)
		}
	}
	res := c.postForm("/account/delete", url.Values{"current_password": {"the real passphrase"}})
	if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("after %d wrong guesses = %d, want 429", models.LoginFailureLimit, res.Status)
	}
	e.userOf("guess.target@example.org") // not erased
}
