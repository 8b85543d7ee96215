package routes_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"courseportal/models/testdb"
	"courseportal/routes"
	"courseportal/views"
)

var signupForm = url.Values{"full_name": {"Bound Token"}, "email": {"bound@example.org"}, "password": {"s3cret-passphrase"}}

func mustRefuseCSRF(t *testing.T, what string, res response) {
	t.Helper()
	if res.Status != http.StatusForbidden || !strings.Contains(res.Body, "The form has expired") {
		t.Errorf("%s = %d, want the CSRF refusal", what, res.Status)
	}
}

func TestCSRFTokenIsBoundToTheBrowser(t *testing.T) {
	e := newEnv(t)

	t.Run("a value planted in the cookie", func(t *testing.T) {
		c := e.client()
		planted := strings.Repeat("p", 43) // the length of a real one
		c.cookies["csrf"] = planted
		form := cloneValues(signupForm)
		form.Set("_csrf", planted)
		mustRefuseCSRF(t, "signup with the planted cookie's value", c.postForm("/signup", form))
	})

	t.Run("another visitor's token", func(t *testing.T) {
		form := cloneValues(signupForm)
		form.Set("_csrf", e.client().csrf())
		mustRefuseCSRF(t, "signup with another visitor's token", e.client().postForm("/signup", form))
	})

	t.Run("a tampered token", func(t *testing.T) {
		c := e.client()
		token := []byte(c.csrf())
		token[len(token)/2] ^= 1
		form := cloneValues(signupForm)
		form.Set("_csrf", string(token))
		mustRefuseCSRF(t, "signup with a tampered token", c.postForm("/signup", form))
	})

	t.Run("the token from before sign-in", func(t *testing.T) {
		e.client().signup("Two Browsers", "two@example.org", "s3cret-passphrase")
		c := e.client()
		before := c.csrf()
		res := c.postForm("/login", url.Values{"email": {"two@example.org"}, "password": {"s3cret-passphrase"}, "_csrf": {before}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("login = %d", res.Status)
		}
		mustRefuseCSRF(t, "logout with the token from before sign-in",
			c.postForm("/logout", url.Values{"_csrf": {before}}))

		// The same account in another browser holds another session, and its
		// token does not work here.
		other := e.client()
		if res := other.postForm("/login", url.Values{"email": {"two@example.org"}, "password": {"s3cret-passphrase"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("second login = %d", res.Status)
		}
		mustRefuseCSRF(t, "logout with the other session's token",
			c.postForm("/logout", url.Values{"_csrf": {other.csrf()}}))
		if res := c.postForm("/logout", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("logout with the session's own token = %d, want 303", res.Status)
		}
	})
}

func TestCSRFTokenIsMaskedPerResponse(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	first := metaCSRF.FindStringSubmatch(c.get("/login").Body)
	second := metaCSRF.FindStringSubmatch(c.get("/login").Body)
	if first == nil || second == nil {
		t.Fatal("the login page carries no CSRF token")
	}
	if first[1] == second[1] {
		t.Fatalf("two responses carry the same token %q", first[1])
	}
	if first[1] == c.cookies["csrf"] || second[1] == c.cookies["csrf"] {
		t.Fatal("the page carries the cookie's value")
	}
	for i, token := range []string{first[1], second[1]} {
		form := url.Values{"email": {"nobody@example.org"}, "password": {"s3cret-passphrase"}, "_csrf": {token}}
		if res := c.postForm("/login", form); res.Status != http.StatusUnauthorized {
			t.Errorf("login with the token of response %d = %d, want 401 (wrong password, token accepted)", i+1, res.Status)
		}
	}
}

// Several instances share the database, and a token one gives out works on
// the others.
func TestCSRFTokenWorksOnEveryInstance(t *testing.T) {
	e := newEnv(t)
	renderer, err := views.New()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := routes.NewSigner(context.Background(), e.store, "http://portal.test")
	if err != nil {
		t.Fatal(err)
	}
	other := &env{t: t, store: e.store, clock: e.clock, app: routes.New(routes.Options{Store: e.store, Views: renderer,
		Log: testdb.Quiet, BaseURL: "http://portal.test", Signer: signer})}
	c := e.client()
	token := c.csrf()
	moved := other.client()
	moved.cookies = c.cookies
	form := cloneValues(signupForm)
	form.Set("_csrf", token)
	if res := moved.postForm("/signup", form); res.Status != http.StatusSeeOther {
		t.Fatalf("signup on the second instance with the first's token = %d, want 303", res.Status)
	}
}
