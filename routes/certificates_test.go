package routes_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/credential"
	"courseportal/models/testdb"
	"courseportal/routes"
)

// completeSeeded joins, completes the seeded course (its certificates open,
// its check passed) and returns the code.
func completeSeeded(t *testing.T, e *env, name string) (*client, string) {
	t.Helper()
	openSeededCertificates(t, e)
	c := joinSeeded(t, e, name)
	passSeededCheck(t, e, c)
	var cert models.Certificate
	if err := e.store.DB().Order("id DESC").Take(&cert).Error; err != nil {
		t.Fatalf("no certificate issued: %v", err)
	}
	return c, cert.Code
}

func TestCertificatePublicPageAndJSON(t *testing.T) {
	e := newEnv(t)
	_, code := completeSeeded(t, e, "Анна Петрова")
	visitor := e.client()
	page := visitor.get("/certificates/" + code)
	if page.Status != http.StatusOK {
		t.Fatalf("certificate page = %d", page.Status)
	}
	mustContain(t, page.Body, "Valid certificate", "Анна Петрова", "Certificate Course in International Relations",
		"Six-week online course", "Open cohort (self-paced)", "2 March 2026", "The Kootneeti")
	if strings.Contains(page.Body, "@example.org") {
		t.Fatal("the public page shows the recipient's email")
	}
	// Codes are looked up ignoring case and dashes.
	loose := strings.ToLower(strings.ReplaceAll(code, "-", ""))
	if res := visitor.get("/certificates/" + loose); res.Status != http.StatusOK {
		t.Fatalf("lower-case code without dashes = %d", res.Status)
	}
	js := visitor.get("/api/v1/certificates/" + loose).json(t)
	if js["status"] != "valid" || js["recipient_name"] != "Анна Петрова" || js["code"] != code {
		t.Fatalf("certificate JSON = %v", js)
	}
	if _, leaks := js["email"]; leaks {
		t.Fatal("certificate JSON has an email")
	}
	// The verify form sends the visitor to the page.
	res := visitor.get("/verify?code=" + url.QueryEscape(loose))
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/certificates/"+code {
		t.Fatalf("verify form = %d %q", res.Status, res.Header.Get("Location"))
	}
	if res := visitor.get("/verify?code=hello"); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("verify with garbage = %d, want 422", res.Status)
	}
}

func TestUnknownCertificate(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	for _, code := range []string{"7KQ2M-9XDT4-RAB3C", "not-a-code", strings.Repeat("A", 300)} {
		res := c.get("/certificates/" + url.PathEscape(code))
		if res.Status != http.StatusNotFound || !strings.Contains(res.Body, "Unknown certificate") {
			t.Fatalf("unknown code %q = %d", code, res.Status)
		}
		api := c.get("/api/v1/certificates/" + url.PathEscape(code))
		if api.Status != http.StatusNotFound || api.errorCode(t) != "certificate_unknown" {
			t.Fatalf("unknown code JSON = %d %s", api.Status, api.Body)
		}
		if pdf := c.get("/certificates/" + url.PathEscape(code) + "/pdf"); pdf.Status != http.StatusNotFound {
			t.Fatalf("unknown code PDF = %d", pdf.Status)
		}
	}
}

func TestCertificatePDF(t *testing.T) {
	e := newEnv(t)
	_, code := completeSeeded(t, e, "احمد رحیمی")
	res := e.client().get("/certificates/" + code + "/pdf")
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(res.Body, "%PDF-") {
		t.Fatalf("PDF = %d %q", res.Status, res.Header.Get("Content-Type"))
	}
}

func TestCredentialVerifiesWithPublishedKey(t *testing.T) {
	e := newEnv(t)
	_, code := completeSeeded(t, e, "Verified Person")
	c := e.client()
	res := c.get("/certificates/" + code + "/credential")
	if res.Status != http.StatusOK {
		t.Fatalf("credential = %d %s", res.Status, res.Body)
	}
	jwks := c.get("/.well-known/jwks.json")
	v, err := credential.VerifyJWKS(res.Body, []byte(jwks.Body))
	if err != nil {
		t.Fatalf("credential does not verify with the published key: %v", err)
	}
	if v.Code != code || v.RecipientName != "Verified Person" || v.CourseTitle != "Certificate Course in International Relations" ||
		!strings.Contains(v.Criteria, "passed its knowledge check with at least 80 %") {
		t.Fatalf("verified claims = %+v", v.Claims)
	}
	// One changed byte in the payload breaks it.
	parts := strings.Split(res.Body, ".")
	payload := []byte(parts[1])
	payload[len(payload)/2] ^= 0x01
	if payload[len(payload)/2] == '.' {
		payload[len(payload)/2] = 'A'
	}
	tampered := parts[0] + "." + string(payload) + "." + parts[2]
	if _, err := credential.VerifyJWKS(tampered, []byte(jwks.Body)); err == nil {
		t.Fatal("a tampered credential verified")
	}
	// The key survives a restart: a new signer over the same database
	// publishes the same key.
	again, err := routes.NewSigner(context.Background(), e.store, "http://portal.test")
	if err != nil {
		t.Fatal(err)
	}
	if string(again.JWKS()) != jwks.Body {
		t.Fatal("the signing key changed after a restart")
	}
}

func TestRevocation(t *testing.T) {
	e := newEnv(t)
	student, code := completeSeeded(t, e, "Revoked Person")
	if res := student.postForm("/admin/certificates/"+code+"/revoke", url.Values{"reason": {"mine"}}); res.Status != http.StatusForbidden {
		t.Fatalf("student revoking = %d, want 403", res.Status)
	}
	if res := e.client().postForm("/admin/certificates/"+code+"/revoke", url.Values{"reason": {"x"}}); res.Status != http.StatusSeeOther ||
		!strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("anonymous revoking = %d", res.Status)
	}
	other := testdb.User(t, e.store, models.RoleInstructor)
	outsider := e.login(other)
	if res := outsider.postForm("/admin/certificates/"+code+"/revoke", url.Values{"reason": {"x"}}); res.Status != http.StatusForbidden {
		t.Fatalf("instructor of another course revoking = %d, want 403", res.Status)
	}
	admin := e.login(testdb.User(t, e.store, models.RoleAdmin))
	if res := admin.postForm("/admin/certificates/"+code+"/revoke", url.Values{"reason": {""}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("revoking without a reason = %d, want 422", res.Status)
	}
	if res := admin.postForm("/admin/certificates/"+code+"/revoke", url.Values{"reason": {"Issued in error"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("admin revoking = %d %s", res.Status, res.Body)
	}
	visitor := e.client()
	mustContain(t, visitor.get("/certificates/"+code).Body, "This certificate was revoked", "Issued in error")
	if js := visitor.get("/api/v1/certificates/" + code).json(t); js["status"] != "revoked" || js["revoked_reason"] != "Issued in error" {
		t.Fatalf("revoked JSON = %v", js)
	}
	if res := visitor.get("/certificates/" + code + "/credential"); res.Status != http.StatusGone {
		t.Fatalf("credential of a revoked certificate = %d, want 410", res.Status)
	}
	if res := admin.postForm("/admin/certificates/"+code+"/revoke", url.Values{"reason": {"again"}}); res.Status != http.StatusConflict {
		t.Fatalf("revoking twice = %d, want 409", res.Status)
	}
}

// A certificate whose snapshot lacks the subtitle or issuer (courses saved
// before they were required) still yields a credential that verifies.
func TestCredentialFromASnapshotMissingFields(t *testing.T) {
	e := newEnv(t)
	_, code := completeSeeded(t, e, "Sparse Snapshot")
	err := e.store.DB().Model(&models.Certificate{}).Where("code = ?", code).
		Updates(map[string]any{"course_subtitle": "", "issuer_name": " "}).Error
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	res := c.get("/certificates/" + code + "/credential")
	if res.Status != http.StatusOK {
		t.Fatalf("credential from a sparse snapshot = %d %s", res.Status, res.Body)
	}
	v, err := credential.VerifyJWKS(res.Body, []byte(c.get("/.well-known/jwks.json").Body))
	if err != nil {
		t.Fatalf("credential does not verify: %v", err)
	}
	if v.RecipientName != "Sparse Snapshot" || v.CourseSubtitle != "Certificate Course in International Relations" || v.IssuerName != "portal.test" {
		t.Fatalf("claims = %+v", v.Claims)
	}
}

// The console refuses to save a course without what its credentials need.
func TestCourseNeedsWhatACredentialNeeds(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loginAs(models.RoleAdmin)
	path := "/admin/courses/" + courseSlug
	for field, message := range map[string]string{"subtitle": "The subtitle is required.", "provider": "The provider is required."} {
		form := url.Values{"title": {"Title"}, "subtitle": {"Subtitle"}, "provider": {"Provider"}, "published": {"1"}}
		form.Set(field, "  ")
		res := admin.postForm(path, form)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, message) {
			t.Errorf("saving without %s = %d, want 422 saying %q", field, res.Status, message)
		}
	}
	course, err := e.store.CourseBySlug(t.Context(), courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	if course.Subtitle == "" || course.Provider == "" {
		t.Fatalf("course saved without credential fields: %+v", course)
	}
	if err := e.store.UpdateCourse(t.Context(), 0, course, models.CourseDetails{Title: "T", Subtitle: "", Provider: "P"}); err == nil {
		t.Fatal("the store saved a course without a subtitle")
	}
}
