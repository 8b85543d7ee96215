package routes_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestPublicResourcesAreReadableFromAnyOrigin checks that verifiers on other
// sites can fetch the keys, the issuer profile, a credential, the
// certificate JSON and the status list, with a preflight answered, and that
// no other route is shared.
func TestPublicResourcesAreReadableFromAnyOrigin(t *testing.T) {
	e := newEnv(t)
	_, code := completeSeeded(t, e, "Shared Person")
	c := e.client()
	credential := c.get("/certificates/" + code + "/credential").Body
	_, header := decodeJWT(t, credential)
	kid, _ := header["kid"].(string)

	shared := []string{
		"/.well-known/jwks.json",
		"/issuer",
		kid[len("http://portal.test"):],
		"/certificates/" + code + "/credential",
		"/api/v1/certificates/" + code,
		"/credentials/status/1",
	}
	for _, path := range shared {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Origin", "https://verifier.example")
		res := e.client().do(req)
		if res.Status != http.StatusOK {
			t.Errorf("GET %s = %d", path, res.Status)
		}
		if got := res.Header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("GET %s: Access-Control-Allow-Origin = %q, want *", path, got)
		}
		if res.Header.Get("Access-Control-Allow-Credentials") != "" || res.Header.Get("Set-Cookie") != "" {
			t.Errorf("GET %s allows credentials or sets a cookie: %v", path, res.Header)
		}

		pre := httptest.NewRequest(http.MethodOptions, path, nil)
		pre.Header.Set("Origin", "https://verifier.example")
		pre.Header.Set("Access-Control-Request-Method", "GET")
		pre.Header.Set("Access-Control-Request-Headers", "accept")
		res = e.client().do(pre)
		if res.Status != http.StatusNoContent || res.Header.Get("Access-Control-Allow-Origin") != "*" ||
			res.Header.Get("Access-Control-Allow-Methods") != "GET, HEAD" {
			t.Errorf("preflight %s = %d %v", path, res.Status, res.Header)
		}
	}
	// An unknown certificate is still a readable 404 for a verifier.
	res := c.get("/api/v1/certificates/AAAAA-AAAAA-AAAAA")
	if res.Status != http.StatusNotFound || res.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("unknown certificate JSON = %d, ACAO %q", res.Status, res.Header.Get("Access-Control-Allow-Origin"))
	}

	for _, path := range []string{"/", "/login", "/certificates/" + code, "/certificates/" + code + "/pdf",
		"/api/v1/courses", "/api/v1/me/enrollments", "/dashboard"} {
		for _, method := range []string{http.MethodGet, http.MethodOptions} {
			req := httptest.NewRequest(method, path, nil)
			req.Header.Set("Origin", "https://verifier.example")
			req.Header.Set("Access-Control-Request-Method", "GET")
			if got := e.client().do(req).Header.Get("Access-Control-Allow-Origin"); got != "" {
				t.Errorf("%s %s shares with other origins (%q)", method, path, got)
			}
		}
	}
}
