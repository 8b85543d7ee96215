package routes_test

import (
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestTakenEmailLinksToLogin checks that "already exists" offers a login
// link that keeps the address and where the person was going, and that the
// login form shows that address.
func TestTakenEmailLinksToLogin(t *testing.T) {
	e := newEnv(t)
	joinSeeded(t, e, "Taken Person")
	email := "taken.person@example.org"

	join := e.client().postForm("/join/"+courseSlug, url.Values{"full_name": {"Someone"},
		"email": {email}, "password": {"s3cret-passphrase"}})
	if join.Status != http.StatusConflict {
		t.Fatalf("join with a taken email = %d", join.Status)
	}
	joinLink := "/login?" + url.Values{"email": {email}, "next": {"/learn/" + courseSlug}}.Encode()
	mustContain(t, join.Body, "An account with this email address already exists.",
		`<a href="`+html.EscapeString(joinLink)+`">Log in</a> instead.`, `value="`+email+`"`)

	signup := e.client().postForm("/signup", url.Values{"full_name": {"Someone"}, "email": {email},
		"password": {"s3cret-passphrase"}, "next": {"/dashboard"}})
	signupLink := "/login?" + url.Values{"email": {email}, "next": {"/dashboard"}}.Encode()
	if signup.Status != http.StatusConflict {
		t.Fatalf("sign-up with a taken email = %d", signup.Status)
	}
	mustContain(t, signup.Body, `<a href="`+html.EscapeString(signupLink)+`">Log in</a> instead.`)

	// Following the link: the address is filled in and the course is next.
	login := e.client().get(joinLink)
	if login.Status != http.StatusOK {
		t.Fatalf("login page = %d", login.Status)
	}
	mustContain(t, login.Body, `id="email" name="email" type="email" autocomplete="email" maxlength="254" required value="`+email+`"`,
		`name="next" value="/learn/`+courseSlug+`"`)

	// Other refusals carry no login link.
	short := e.client().postForm("/join/"+courseSlug, url.Values{"full_name": {"Someone"},
		"email": {"fresh@example.org"}, "password": {"short"}})
	if short.Status != http.StatusUnprocessableEntity || strings.Contains(short.Body, "Log in</a> instead") {
		t.Fatalf("short password = %d, or offers a login link", short.Status)
	}
}

// TestLoginPrefillIsBoundedAndEscaped checks what the login form accepts
// from the email in its link.
func TestLoginPrefillIsBoundedAndEscaped(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	cases := []struct{ email, want, absent string }{
		{`"><script>alert(1)</script>@example.org`, `value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;@example.org"`, "<script>alert"},
		{strings.Repeat("a", 255) + "@example.org", `required value=""`, "aaaaaaaaaa"},
		{"bad\x01@example.org", `required value=""`, "bad"},
		{"  spaced@example.org  ", `value="spaced@example.org"`, ""},
	}
	for _, tc := range cases {
		res := c.get("/login?" + url.Values{"email": {tc.email}}.Encode())
		if res.Status != http.StatusOK {
			t.Fatalf("login with email %q = %d", tc.email, res.Status)
		}
		mustContain(t, res.Body, tc.want)
		if tc.absent != "" && strings.Contains(res.Body, tc.absent) {
			t.Errorf("login with email %q shows %q", tc.email, tc.absent)
		}
	}
}

// TestLoginSaysWhereItContinues checks "Log in to continue to …" for the
// pages people are sent from, and its absence for links the open-redirect
// check refuses.
func TestLoginSaysWhereItContinues(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	course := "Certificate Course in International Relations"
	cases := []struct{ next, want string }{
		{"/learn/" + courseSlug, "your course home for the " + course},
		{"/learn/" + courseSlug + "/readings/" + readingSlug, "a reading of the " + course},
		{"/learn/" + courseSlug + "/readings/" + readingSlug + "/check", "a knowledge check of the " + course},
		{"/join/" + courseSlug, "join the " + course},
		{"/admin/", "the console"},
		{"/admin/courses/" + courseSlug + "/roster?status=active", "the console"},
		{"/dashboard", "your courses"},
		{"/account/mfa", "your two-step sign-in settings"},
		{"/learn/no-such-course", "/learn/no-such-course"},
		{"/certificates/ABC?x=<b>", "/certificates/ABC"},
	}
	for _, tc := range cases {
		res := c.get("/login?next=" + url.QueryEscape(tc.next))
		if res.Status != http.StatusOK {
			t.Fatalf("login next=%s = %d", tc.next, res.Status)
		}
		mustContain(t, res.Body, "Log in to continue to "+html.EscapeString(tc.want)+".")
	}
	for _, bad := range []string{"", "https://evil.example/", "//evil.example/x", `/\evil.example`, "learn/x"} {
		res := c.get("/login?next=" + url.QueryEscape(bad))
		if res.Status != http.StatusOK || strings.Contains(res.Body, "Log in to continue") {
			t.Errorf("login next=%q = %d, or names a page", bad, res.Status)
		}
	}
	// A failed attempt keeps the sentence.
	res := c.postForm("/login", url.Values{"email": {"nobody@example.org"}, "password": {"wrong-passphrase"},
		"next": {"/learn/" + courseSlug}})
	if res.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password = %d", res.Status)
	}
	mustContain(t, res.Body, "Log in to continue to your course home for the "+course+".")
	// A reading sends a signed-out person here, with the sentence.
	to := c.get("/learn/" + courseSlug + "/readings/" + readingSlug)
	if to.Status != http.StatusSeeOther {
		t.Fatalf("signed-out reading = %d", to.Status)
	}
	mustContain(t, c.get(to.Header.Get("Location")).Body, "Log in to continue to a reading of the "+course+".")
}
