package routes_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// forgot asks for a reset link and checks the time the answer took.
// maskedToken is the CSRF token of a page, in its meta tag or a form.
var maskedToken = regexp.MustCompile(`((?:name="csrf-token" content|name="_csrf" value)=")[^"]*`)

func forgot(t *testing.T, c *client, email string) response {
	t.Helper()
	started := time.Now()
	res := c.postForm("/password/forgot", url.Values{"email": {email}})
	if took := time.Since(started); res.Status == http.StatusOK && took < 200*time.Millisecond {
		t.Errorf("forgot %s answered in %v, before the floor that hides whether an account exists", email, took)
	}
	return res
}

// The whole reset journey through HTTP with the mail read from a real SMTP
// server: the same answer for an unknown address, a link that works once,
// only the newest link working, expiry after an hour, a limit per address,
// and every session of the person ended on every instance.
func TestPasswordResetEndToEnd(t *testing.T) {
	e := newEnv(t)
	other := e.instance()
	mail := e.smtp(t)
	const email, oldPassword, newPassword = "rahima.noori@example.org", "first passphrase", "second passphrase"

	here := e.client()
	if res := here.signup("Rahima Noori", email, oldPassword); res.Status != http.StatusSeeOther {
		t.Fatalf("signup = %d\n%s", res.Status, res.Body)
	}
	there := other.client() // signed in through the other instance
	if res := there.postForm("/login", url.Values{"email": {email}, "password": {oldPassword}}); res.Status != http.StatusSeeOther {
		t.Fatalf("login on the second instance = %d", res.Status)
	}
	mail.deliver() // the welcome mail

	// The same page for an address with and without an account.
	visitor := e.client()
	unknown := forgot(t, visitor, "nobody.here@example.org")
	known := forgot(t, visitor, email)
	if unknown.Status != http.StatusOK || known.Status != http.StatusOK {
		t.Fatalf("forgot = %d and %d, want 200 for both", unknown.Status, known.Status)
	}
	// Each response masks the CSRF token afresh, so the tokens are set aside.
	same := func(r response, addr string) string {
		return maskedToken.ReplaceAllString(strings.ReplaceAll(r.Body, addr, "ADDRESS"), "$1TOKEN")
	}
	if same(unknown, "nobody.here@example.org") != same(known, email) {
		t.Fatalf("the answers differ for a known and an unknown address:\n%s\n---\n%s", unknown.Body, known.Body)
	}
	mustContain(t, known.Body, "Check your inbox")
	first := mail.linkTo(email, "Reset your password")
	for _, m := range mail.deliver() {
		t.Errorf("unexpected mail %q to %s", m.Header.Get("Subject"), m.Header.Get("To"))
	}
	var unknownMail int64
	if err := e.store.DB().Model(&models.OutboxEntry{}).Where("to_email = ?", "nobody.here@example.org").Count(&unknownMail).Error; err != nil || unknownMail != 0 {
		t.Fatalf("mail to an unknown address: %d, %v", unknownMail, err)
	}

	// Only the newest link works.
	forgot(t, visitor, email)
	second := mail.linkTo(email, "Reset your password")
	if res := visitor.get(first); res.Status != http.StatusGone {
		t.Fatalf("the replaced link = %d, want 410", res.Status)
	}
	if res := visitor.get(second); res.Status != http.StatusOK || !strings.Contains(res.Body, "Choose a new password") {
		t.Fatalf("the newest link = %d", res.Status)
	}

	// A link expires after an hour, whatever happens.
	forgot(t, visitor, email)
	third := mail.linkTo(email, "Reset your password")
	// Three links an hour for one address: the fourth request is refused,
	// with the same words an unknown address would get.
	if res := visitor.postForm("/password/forgot", url.Values{"email": {email}}); res.Status != http.StatusTooManyRequests ||
		res.Header.Get("Retry-After") == "" {
		t.Fatalf("fourth request in an hour = %d (Retry-After %q), want 429", res.Status, res.Header.Get("Retry-After"))
	}
	e.clock.Advance(models.PasswordResetLifetime + time.Minute)
	if res := visitor.postForm(third, url.Values{"password": {newPassword}}); res.Status != http.StatusGone {
		t.Fatalf("an expired link = %d, want 410", res.Status)
	}

	// A fresh link: the new password must follow the sign-up rules.
	forgot(t, visitor, email)
	fresh := mail.linkTo(email, "Reset your password")
	if res := visitor.postForm(fresh, url.Values{"password": {"short"}}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "at least 8 characters") {
		t.Fatalf("a short password = %d", res.Status)
	}
	res := visitor.postForm(fresh, url.Values{"password": {newPassword}})
	mustRedirect(t, res, "/dashboard")
	if home := visitor.get("/dashboard"); home.Status != http.StatusOK || !strings.Contains(home.Body, "Rahima Noori") {
		t.Fatalf("after the reset the browser is not signed in: %d", home.Status)
	}
	if again := e.client().postForm(fresh, url.Values{"password": {"third passphrase"}}); again.Status != http.StatusGone {
		t.Fatalf("a used link = %d, want 410", again.Status)
	}

	// Every earlier session ended, on both instances.
	for name, c := range map[string]*client{"first instance": here, "second instance": there} {
		if res := c.get("/dashboard"); res.Status != http.StatusSeeOther {
			t.Errorf("the old session on the %s still works (%d)", name, res.Status)
		}
	}
	if res := other.client().postForm("/login", url.Values{"email": {email}, "password": {oldPassword}}); res.Status != http.StatusUnauthorized {
		t.Errorf("the old password still signs in: %d", res.Status)
	}
	if res := other.client().postForm("/login", url.Values{"email": {email}, "password": {newPassword}}); res.Status != http.StatusSeeOther {
		t.Errorf("the new password does not sign in: %d", res.Status)
	}
	u, err := e.store.UserByEmail(t.Context(), email)
	if err != nil || !u.Verified() {
		t.Errorf("a reset by mailed link should confirm the address: %+v, %v", u, err)
	}
}

// One client cannot ask for links to many addresses.
func TestForgotPasswordIsLimitedPerClient(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for i := range models.ForgotPerClient.Max {
		if res := c.postForm("/password/forgot", url.Values{"email": {"probe" + strconv.Itoa(i) + "@example.org"}}); res.Status != http.StatusOK {
			t.Fatalf("request %d = %d", i+1, res.Status)
		}
	}
	res := c.postForm("/password/forgot", url.Values{"email": {"one.more@example.org"}})
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("request over the client's limit = %d, want 429", res.Status)
	}
	if res := c.postForm("/password/forgot", url.Values{"email": {"not an address"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a malformed address = %d, want 422", res.Status)
	}
}

// An operator without mail prints a link; an administrator mails one from
// the person's page. Both are in the audit log.
func TestResetLinksFromStaff(t *testing.T) {
	e := newEnv(t)
	mail := e.smtp(t)
	admin, _ := e.loginAs(models.RoleAdmin)
	person := testdb.User(t, e.store, models.RoleStudent)
	res := admin.postForm("/admin/users/"+strconv.FormatInt(person.ID, 10)+"/password-reset", nil)
	mustRedirect(t, res, "/admin/users/")
	link := mail.linkTo(person.Email, "Reset your password")
	if res := e.client().get(link); res.Status != http.StatusOK {
		t.Fatalf("the mailed link = %d", res.Status)
	}
	printed, err := e.store.CreateResetLink(t.Context(), person.Email, "http://portal.test")
	if err != nil || !strings.HasPrefix(printed, "http://portal.test/password/reset/") {
		t.Fatalf("CreateResetLink = %q, %v", printed, err)
	}
	if res := e.client().get(link); res.Status != http.StatusGone {
		t.Fatalf("the mailed link after a newer printed one = %d, want 410", res.Status)
	}
	page := admin.get("/admin/users/" + strconv.FormatInt(person.ID, 10))
	mustContain(t, page.Body, "Last messages", "Reset your password", "Sent")
	actions := strings.Join(e.auditActions(), " ")
	if strings.Count(actions, "user.reset_link") != 2 {
		t.Fatalf("audit log = %s, want two user.reset_link", actions)
	}
}

// A person with a second factor who resets their password still gives a
// code: the mailbox alone does not sign them in.
func TestPasswordResetStillAsksForTheSecondFactor(t *testing.T) {
	e := newEnv(t)
	mail := e.smtp(t)
	person := testdb.User(t, e.store, models.RoleInstructor)
	testdb.EnableMFA(t, e.store, person)
	c := e.client()
	forgot(t, c, person.Email)
	link := mail.linkTo(person.Email, "Reset your password")
	mustRedirect(t, c.postForm(link, url.Values{"password": {"a new passphrase"}}), "/login/mfa")
	if res := c.get("/dashboard"); res.Status != http.StatusSeeOther {
		t.Fatalf("signed in without the second factor (%d)", res.Status)
	}
	mustRedirect(t, c.postForm("/login/mfa", url.Values{"recovery_code": {testdb.RecoveryCode(person, 0)}}), "/dashboard")
	if res := c.get("/dashboard"); res.Status != http.StatusOK {
		t.Fatalf("after the code = %d", res.Status)
	}
}
