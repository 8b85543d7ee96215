package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestAPIWriteWithoutSignInIs401 checks that an unauthenticated write under
// /api/ is told to authenticate (401), not refused as a forgery, while a
// cookie session still needs the CSRF token.
func TestAPIWriteWithoutSignInIs401(t *testing.T) {
	e := newEnv(t)
	writes := []struct{ method, path, body string }{
		{http.MethodPost, "/api/v1/courses/" + courseSlug + "/enrollments", `{}`},
		{http.MethodPut, progressURL, `{"course": "` + courseSlug + `", "percent": 10}`},
	}
	for _, w := range writes {
		for _, cookie := range []string{"", "session=unknown-session-token"} {
			req := httptest.NewRequest(w.method, w.path, strings.NewReader(w.body))
			req.Header.Set("Content-Type", "application/json")
			if cookie != "" {
				req.Header.Set("Cookie", cookie)
			}
			res := e.client().do(req)
			if res.Status != http.StatusUnauthorized || res.errorCode(t) != "unauthenticated" {
				t.Errorf("%s %s without sign-in (cookie %q) = %d %s, want 401 unauthenticated", w.method, w.path, cookie, res.Status, res.Body)
			}
		}
	}

	// Signing in through the API needs no CSRF token: it returns a token
	// in its body and sets no session cookie.
	c := joinSeeded(t, e, "Api Person")
	req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions",
		strings.NewReader(`{"email": "api.person@example.org", "password": "s3cret-passphrase"}`))
	req.Header.Set("Content-Type", "application/json")
	res := e.client().do(req)
	if res.Status != http.StatusCreated || strings.Contains(res.Header.Get("Set-Cookie"), "session=") {
		t.Errorf("API sign-in without a session = %d (Set-Cookie %q)", res.Status, res.Header.Get("Set-Cookie"))
	}

	// A live cookie session without the token is still refused.
	for _, w := range writes {
		req := httptest.NewRequest(w.method, w.path, strings.NewReader(w.body))
		req.Header.Set("Content-Type", "application/json")
		if res := c.do(req); res.Status != http.StatusForbidden || res.errorCode(t) != "csrf_failed" {
			t.Errorf("%s %s with a session and no CSRF token = %d %s, want 403 csrf_failed", w.method, w.path, res.Status, res.Body)
		}
	}
	// And with it, the write goes through.
	if res := c.sendJSON(http.MethodPut, progressURL, `{"course": "`+courseSlug+`", "percent": 10}`); res.Status != http.StatusOK {
		t.Errorf("progress with session and token = %d %s", res.Status, res.Body)
	}
}

// TestWrongMethodIs405WithAllow checks HTML and API paths: a method the
// path does not answer gets 405 and the methods it does answer, before any
// sign-in or CSRF check; an unknown path is still 404.
func TestWrongMethodIs405WithAllow(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Method Person")
	cases := []struct{ method, path, allow string }{
		{http.MethodPost, "/dashboard", "GET, HEAD"},
		{http.MethodGet, "/logout", "POST"},
		{http.MethodPut, "/login", "GET, HEAD, POST"},
		{http.MethodPost, "/certificates/AAAAA-AAAAA-AAAAA", "GET, HEAD"},
		{http.MethodDelete, "/admin/users/1", "GET, HEAD"},
		{http.MethodPost, "/issuer", "GET, HEAD, OPTIONS"},
		{http.MethodDelete, "/api/v1/courses", "GET, HEAD"},
		{http.MethodPost, "/api/v1/courses/" + courseSlug, "GET, HEAD"},
		{http.MethodGet, "/api/v1/sessions", "POST"},
		{http.MethodPatch, progressURL, "PUT"},
	}
	for _, tc := range cases {
		for _, who := range []*client{e.client(), c} {
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(`{}`))
			req.Header.Set("Content-Type", "application/json")
			res := who.do(req)
			if res.Status != http.StatusMethodNotAllowed || res.Header.Get("Allow") != tc.allow {
				t.Errorf("%s %s = %d, Allow %q; want 405, Allow %q", tc.method, tc.path, res.Status, res.Header.Get("Allow"), tc.allow)
				continue
			}
			if strings.HasPrefix(tc.path, "/api/") && res.errorCode(t) != "method_not_allowed" {
				t.Errorf("%s %s: error code %q", tc.method, tc.path, res.errorCode(t))
			}
		}
	}
	// The HTML answer is a page that says so.
	res := c.postForm("/dashboard", nil)
	if res.Status != http.StatusMethodNotAllowed || !strings.Contains(res.Body, "does not accept POST") {
		t.Errorf("POST /dashboard page = %d\n%s", res.Status, res.Body)
	}
	for _, path := range []string{"/no-such-page", "/api/v1/no-such-endpoint"} {
		if res := c.get(path); res.Status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.Status)
		}
		if res := c.postForm(path, nil); res.Status != http.StatusNotFound {
			t.Errorf("POST %s = %d, want 404", path, res.Status)
		}
	}
}
