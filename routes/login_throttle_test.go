package routes_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/routes"
)

func wrongGuesses(t *testing.T, c *client, email string, n int) {
	t.Helper()
	for i := range n {
		res := c.postForm("/login", url.Values{"email": {email}, "password": {fmt.Sprintf("wrong-guess-%d", i)}})
		if res.Status != http.StatusUnauthorized {
			t.Fatalf("wrong guess %d = %d, want 401", i+1, res.Status)
		}
	}
}

func loginStatus(c *client, email, password string) int {
	return c.postForm("/login", url.Values{"email": {email}, "password": {password}}).Status
}

// A stranger's failures lock out unknown clients only: the owner's browser,
// which signed in before and carries a signed device cookie, is counted on
// its own and still signs in.
func TestStrangerCannotLockTheOwnerOutOfTheirDevice(t *testing.T) {
	e := newEnv(t)
	const email, password = "owner@example.org", "s3cret-passphrase"
	owner := e.client()
	if res := owner.signup("Owner", email, password); res.Status != http.StatusSeeOther {
		t.Fatalf("signup = %d", res.Status)
	}
	if owner.cookies["device"] == "" {
		t.Fatal("signing in left no device cookie")
	}
	owner.postForm("/logout", nil)

	stranger := e.client()
	wrongGuesses(t, stranger, email, models.LoginFailureLimit)
	if got := loginStatus(stranger, email, password); got != http.StatusTooManyRequests {
		t.Fatalf("unknown client after %d failures = %d, want 429", models.LoginFailureLimit, got)
	}
	if got := loginStatus(e.client(), email, password); got != http.StatusTooManyRequests {
		t.Fatalf("another unknown client = %d, want 429", got)
	}
	if got := loginStatus(owner, email, password); got != http.StatusSeeOther {
		t.Fatalf("the owner on their own device = %d, want 303", got)
	}

	// A device cookie that is forged, or that belongs to another account,
	// makes a client no less unknown.
	forged := e.client()
	forged.cookies["device"] = strings.Repeat("A", 22) + "." + strings.Repeat("B", 43)
	if got := loginStatus(forged, email, password); got != http.StatusTooManyRequests {
		t.Fatalf("forged device cookie = %d, want 429", got)
	}
	other := e.client()
	other.signup("Other Person", "other@example.org", password)
	other.postForm("/logout", nil)
	if got := loginStatus(other, email, password); got != http.StatusTooManyRequests {
		t.Fatalf("another account's device cookie = %d, want 429", got)
	}

	// The device has a limit of its own: guessing from it locks it.
	owner.postForm("/logout", nil)
	wrongGuesses(t, owner, email, models.LoginFailureLimit)
	if got := loginStatus(owner, email, password); got != http.StatusTooManyRequests {
		t.Fatalf("the device after its own %d failures = %d, want 429", models.LoginFailureLimit, got)
	}
	e.clock.Advance(models.LoginFailureWindow + time.Second)
	if got := loginStatus(owner, email, password); got != http.StatusSeeOther {
		t.Fatalf("the device after the window = %d, want 303", got)
	}
}

// withProxy makes requests come from addr through a trusted proxy.
func withProxy(c *client, addr string) *client {
	c.forwardedFor = addr
	return c
}

// One client address spraying many accounts is limited across them, in
// sign-in, sign-up and join; other addresses are not, and X-Forwarded-For is
// believed only from a trusted proxy.
func TestClientLimitAcrossAccounts(t *testing.T) {
	e := newEnvWith(t, func(o *routes.Options) { o.TrustedProxies = []string{"0.0.0.0"} })
	sprayer := withProxy(e.client(), "203.0.113.7")
	for i := range models.ClientAttemptLimit {
		email := fmt.Sprintf("victim%d@example.org", i)
		if got := loginStatus(sprayer, email, "wrong-guess"); got != http.StatusUnauthorized {
			t.Fatalf("guess %d = %d, want 401", i+1, got)
		}
	}
	res := sprayer.postForm("/login", url.Values{"email": {"fresh@example.org"}, "password": {"wrong-guess"}})
	if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(res.Body, "from your network") {
		t.Fatalf("sign-in past the client limit = %d (Retry-After %q)", res.Status, res.Header.Get("Retry-After"))
	}
	if res := sprayer.signup("New Person", "new@example.org", "s3cret-passphrase"); res.Status != http.StatusTooManyRequests {
		t.Fatalf("sign-up past the client limit = %d, want 429", res.Status)
	}
	res = sprayer.postForm("/join/"+courseSlug, url.Values{"full_name": {"Joiner"}, "email": {"join@example.org"}, "password": {"s3cret-passphrase"}})
	if res.Status != http.StatusTooManyRequests {
		t.Fatalf("join past the client limit = %d, want 429", res.Status)
	}
	api := sprayer.sendJSON(http.MethodPost, "/api/v1/sessions", `{"email":"fresh@example.org","password":"wrong-guess"}`)
	if api.Status != http.StatusTooManyRequests || api.errorCode(t) != "too_many_attempts" {
		t.Fatalf("API sign-in past the client limit = %d %s", api.Status, api.Body)
	}
	var n int64
	if err := e.store.DB().Model(&models.User{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d accounts created past the client limit", n)
	}
	if res := withProxy(e.client(), "198.51.100.9").signup("Neighbour", "neighbour@example.org", "s3cret-passphrase"); res.Status != http.StatusSeeOther {
		t.Fatalf("another address = %d, want 303", res.Status)
	}
	e.clock.Advance(models.ClientAttemptWindow + time.Second)
	if got := loginStatus(sprayer, "neighbour@example.org", "s3cret-passphrase"); got != http.StatusSeeOther {
		t.Fatalf("after the window = %d, want 303", got)
	}
}

func TestForwardedForIsIgnoredWithoutATrustedProxy(t *testing.T) {
	e := newEnv(t)
	for i := range models.ClientAttemptLimit {
		c := withProxy(e.client(), fmt.Sprintf("192.0.2.%d", i))
		if got := loginStatus(c, fmt.Sprintf("victim%d@example.org", i), "wrong-guess"); got != http.StatusUnauthorized {
			t.Fatalf("guess %d = %d, want 401", i+1, got)
		}
	}
	if got := loginStatus(withProxy(e.client(), "192.0.2.250"), "fresh@example.org", "wrong-guess"); got != http.StatusTooManyRequests {
		t.Fatalf("a spoofed X-Forwarded-For escaped the client limit: %d", got)
	}
}
