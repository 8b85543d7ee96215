package routes_test

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"courseportal/models"
)

// csrfExempt are the writes that take no CSRF token, and why. Anything not
// listed must refuse a request without one.
var csrfExempt = map[string]string{
	"POST /api/v1/sessions": "exchanges a password for a bearer token; takes only application/json and sets no cookie",
}

var routeParam = regexp.MustCompile(`:[A-Za-z_]+\??|\*`)

// Every state-changing route, as the application lists them, refuses a form
// without _csrf and JSON without X-CSRF-Token with the CSRF error itself,
// from a signed-in browser whose request would otherwise reach the handler.
func TestEveryWriteNeedsTheCSRFToken(t *testing.T) {
	e := newEnv(t)
	c, _ := e.loginAs(models.RoleAdmin)
	c.csrf() // the browser holds its cookies, just not the token in this request
	seen := map[string]bool{}
	for _, r := range e.app.GetRoutes(true) {
		switch r.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		default:
			continue
		}
		route := r.Method + " " + r.Path
		if seen[route] {
			continue
		}
		seen[route] = true
		if _, ok := csrfExempt[route]; ok {
			continue
		}
		path := routeParam.ReplaceAllString(r.Path, "1")

		form := httptest.NewRequest(r.Method, path, strings.NewReader("x=1"))
		form.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if res := c.do(form); res.Status != http.StatusForbidden || !strings.Contains(res.Body, "did not come from this site") {
			t.Errorf("%s: a form without _csrf = %d, want the CSRF refusal:\n%.300s", route, res.Status, res.Body)
		}

		json := newJSONRequest(r.Method, path, "{}")
		json.Header.Set("Accept", "application/json")
		if res := c.do(json); res.Status != http.StatusForbidden || res.errorCode(t) != "csrf_failed" {
			t.Errorf("%s: JSON without X-CSRF-Token = %d %.300s, want 403 csrf_failed", route, res.Status, res.Body)
		}
	}
	for route := range csrfExempt {
		if !seen[route] {
			t.Errorf("the exempt route %s no longer exists; drop it from the list", route)
		}
	}
	if len(seen) < 30 {
		t.Fatalf("only %d writes were found; the route list was not read", len(seen))
	}
	t.Logf("%d writes checked", len(seen)-len(csrfExempt))
}
