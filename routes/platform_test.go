package routes_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
	"courseportal/routes"
	"courseportal/views"
)

func TestSecurityHeaders(t *testing.T) {
	e := newEnv(t)
	res := e.client().get("/")
	want := map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "strict-origin-when-cross-origin",
		"X-Frame-Options":        "DENY",
	}
	for k, v := range want {
		if got := res.Header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	csp := res.Header.Get("Content-Security-Policy")
	for _, part := range []string{"script-src 'self'", "frame-ancestors 'none'", "object-src 'none'"} {
		if !strings.Contains(csp, part) {
			t.Errorf("CSP %q lacks %q", csp, part)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(res.Body, "<script>") || strings.Contains(res.Body, " onclick=") {
		t.Error("inline script allowed or present")
	}
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over plain http")
	}
	cookie := res.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Errorf("csrf cookie = %q", cookie)
	}
}

func TestHTTPSDeployment(t *testing.T) {
	store, _ := testdb.Open(t)
	renderer, err := views.New()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := routes.NewSigner(context.Background(), store, "https://courses.example.org")
	if err != nil {
		t.Fatal(err)
	}
	app := routes.New(routes.Options{Store: store, Views: renderer, Log: testdb.Quiet,
		BaseURL: "https://courses.example.org", Signer: signer})
	e := &env{t: t, app: app, store: store, mfaLogins: map[int64]int{}}
	c := e.client()
	res := c.get("/")
	if !strings.HasPrefix(res.Header.Get("Strict-Transport-Security"), "max-age=") {
		t.Error("no HSTS over https")
	}
	if _, ok := c.cookies["__Host-csrf"]; !ok {
		t.Fatalf("cookies = %v, want __Host-csrf", c.cookies)
	}
	token := metaCSRF.FindStringSubmatch(res.Body)
	if token == nil {
		t.Fatal("home page without a CSRF token")
	}
	res = c.postForm("/signup", url.Values{"full_name": {"Secure"}, "email": {"secure@example.org"},
		"password": {"s3cret-passphrase"}, "_csrf": {token[1]}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("signup over https = %d", res.Status)
	}
	var sessionCookie string
	for _, sc := range res.Header.Values("Set-Cookie") {
		if strings.HasPrefix(sc, "__Host-session=") {
			sessionCookie = sc
		}
	}
	for _, attr := range []string{"HttpOnly", "secure", "SameSite=Lax", "path=/"} {
		if !strings.Contains(strings.ToLower(sessionCookie), strings.ToLower(attr)) {
			t.Errorf("session cookie %q lacks %s", sessionCookie, attr)
		}
	}
}

func TestReadiness(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if res := c.get("/healthz"); res.Status != http.StatusOK {
		t.Fatalf("healthz = %d", res.Status)
	}
	if res := c.get("/readyz"); res.Status != http.StatusOK {
		t.Fatalf("readyz = %d", res.Status)
	}
	sqlDB, err := e.store.DB().DB()
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlDB.Close(); err != nil {
		t.Fatal(err)
	}
	if res := c.get("/readyz"); res.Status != http.StatusServiceUnavailable {
		t.Fatalf("readyz with the database gone = %d, want 503", res.Status)
	}
	if res := c.get("/healthz"); res.Status != http.StatusOK {
		t.Fatalf("healthz with the database gone = %d, want 200", res.Status)
	}
}

func TestJoinOutsideTheEnrollmentWindow(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	course, _ := e.store.CourseBySlug(ctx, courseSlug)
	// Close the seeded cohort; a new one opens in a week.
	closed := testdb.Start.Add(-time.Hour)
	if err := e.store.DB().Model(&models.Cohort{}).Where("course_id = ?", course.ID).Update("enroll_closes_at", closed).Error; err != nil {
		t.Fatal(err)
	}
	c := e.client()
	page := c.get("/join/" + courseSlug)
	if page.Status != http.StatusOK || !strings.Contains(page.Body, "Enrollment for this course is closed") {
		t.Fatalf("join page when closed = %d", page.Status)
	}
	res := c.postForm("/join/"+courseSlug, url.Values{"full_name": {"Late"}, "email": {"late@example.org"}, "password": {"s3cret-passphrase"}})
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "Enrollment for this course is closed") {
		t.Fatalf("join when closed = %d", res.Status)
	}
	if _, err := e.store.UserByEmail(ctx, "late@example.org"); err == nil {
		t.Fatal("an account was created although nobody can join")
	}
	c.signup("Signed In", "signed@example.org", "s3cret-passphrase")
	api := c.sendJSON(http.MethodPost, "/api/v1/courses/"+courseSlug+"/enrollments", "")
	if api.Status != http.StatusConflict || api.errorCode(t) != "enrollment_closed" {
		t.Fatalf("API enroll when closed = %d %s", api.Status, api.Body)
	}
}

func TestContractPagesAnswer(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for path, wants := range map[string][]string{
		"/":                             {"Certificate Course in International Relations", "Join today", "team@thekootneeti.com"},
		"/courses/" + courseSlug:        {"Syllabus", "Week 6", "Afghanistan", "120 4565994", "courses.thekootneeti.in"},
		"/join/" + courseSlug:           {"full_name", "email", "password", "indicates required"},
		"/signup":                       {"full_name", "Sign up"},
		"/login":                        {"Log in"},
		"/verify":                       {"Certificate code"},
		"/api/v1/courses":               {`"slug":"international-relations"`},
		"/api/v1/courses/" + courseSlug: {`"afghanistan-peace-summits"`, `"open_cohort"`},
		"/.well-known/jwks.json":        {`"kty":"OKP"`, `"crv":"Ed25519"`},
		"/issuer":                       {`"Profile"`, "The Kootneeti"},
	} {
		res := c.get(path)
		if res.Status != http.StatusOK {
			t.Errorf("GET %s = %d", path, res.Status)
			continue
		}
		mustContain(t, res.Body, wants...)
	}
	for _, path := range []string{"/courses/nope", "/nope", "/api/v1/courses/nope", "/api/v1/nope"} {
		res := c.get(path)
		if res.Status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.Status)
		}
		if strings.HasPrefix(path, "/api/") && res.errorCode(t) != "not_found" {
			t.Errorf("GET %s error = %s", path, res.Body)
		}
	}
}
