package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// An API client without cookies exchanges its password for a token: no CSRF
// token is asked for (a browser cannot send application/json across sites
// without a preflight) and no cookie is set.
func TestAPISessionWithoutCookies(t *testing.T) {
	e := newEnv(t)
	e.client().signup("Api Client", "client@example.org", "s3cret-passphrase")
	body := `{"email":"client@example.org","password":"s3cret-passphrase"}`

	req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	res := e.client().do(req)
	if res.Status != http.StatusCreated {
		t.Fatalf("cookie-less token request = %d %s, want 201", res.Status, res.Body)
	}
	if token, _ := res.json(t)["token"].(string); len(token) < 40 {
		t.Errorf("answer %s lacks the token", res.Body)
	}
	if cookies := res.Header.Values("Set-Cookie"); len(cookies) > 0 {
		t.Errorf("the token exchange set cookies: %q", cookies)
	}

	// Anything a cross-site form can send is still refused.
	for _, contentType := range []string{"application/x-www-form-urlencoded", "text/plain"} {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions", strings.NewReader(body))
		req.Header.Set("Content-Type", contentType)
		if res := e.client().do(req); res.Status != http.StatusUnsupportedMediaType {
			t.Errorf("token request as %s = %d, want 415", contentType, res.Status)
		}
	}
}
