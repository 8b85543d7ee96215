package routes_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/credential"
	"courseportal/models/testdb"
)

// jwtPayload decodes a compact JWS's payload without checking it.
func jwtPayload(t *testing.T, token string) map[string]any {
	t.Helper()
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		t.Fatalf("not a compact JWS: %.40q", token)
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// statusOf reads a credential's status list URL and index from its payload.
func statusOf(t *testing.T, token string) (string, int) {
	t.Helper()
	st, _ := jwtPayload(t, token)["credentialStatus"].(map[string]any)
	if st["type"] != "BitstringStatusListEntry" || st["statusPurpose"] != "revocation" {
		t.Fatalf("credentialStatus = %v", st)
	}
	i, err := strconv.Atoi(st["statusListIndex"].(string))
	if err != nil {
		t.Fatal(err)
	}
	return st["statusListCredential"].(string), i
}

// publishedBit fetches the status list a credential names and reads its
// bit the way a third-party verifier would: base64url, gunzip, bit 0 the
// most significant of the first byte.
func publishedBit(t *testing.T, c *client, token string) bool {
	t.Helper()
	listURL, index := statusOf(t, token)
	path := strings.TrimPrefix(listURL, "http://portal.test")
	res := c.get(path)
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/vc+jwt" {
		t.Fatalf("GET %s = %d %s", path, res.Status, res.Header.Get("Content-Type"))
	}
	list := jwtPayload(t, res.Body)
	sub := list["credentialSubject"].(map[string]any)
	if list["id"] != listURL || sub["type"] != "BitstringStatusList" || sub["statusPurpose"] != "revocation" {
		t.Fatalf("status list = %v", list)
	}
	encoded := sub["encodedList"].(string)
	gz, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(encoded, "u"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	bits, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if len(bits)*8 < 131072 {
		t.Fatalf("status list of %d bits, want at least 131072", len(bits)*8)
	}
	return bits[index/8]&(0x80>>(index%8)) != 0
}

func TestNameCorrectionReissuesTheCertificateAndRevokesTheOldCredential(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	openSeededCertificates(t, e)
	holder := joinSeeded(t, e, "Zoe Nunez")
	mustContain(t, holder.get("/learn/"+courseSlug).Body, "Your certificate will read: <strong dir=\"auto\">Zoe Nunez</strong>", `href="/account"`)
	passSeededCheck(t, e, holder)
	var cert models.Certificate
	if err := e.store.DB().Order("id DESC").Take(&cert).Error; err != nil {
		t.Fatal(err)
	}
	code := cert.Code
	visitor := e.client()
	oldToken := visitor.get("/certificates/" + code + "/credential").Body
	if publishedBit(t, visitor, oldToken) {
		t.Fatal("a fresh credential is revoked")
	}

	// Only the holder asks; a bad request says what is wrong.
	form := url.Values{"full_name": {"Zoë Ñúñez-Øberg"}, "reason": {"My name lost its accents."}}
	stranger := joinSeeded(t, e, "Someone Else")
	if res := stranger.postForm("/certificates/"+code+"/name-correction", form); res.Status != http.StatusForbidden {
		t.Fatalf("a stranger's request = %d, want 403", res.Status)
	}
	if res := holder.postForm("/certificates/"+code+"/name-correction", url.Values{"full_name": {"Zoë Ñúñez-Øberg"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a request without a reason = %d, want 422", res.Status)
	}
	mustRedirect(t, holder.postForm("/certificates/"+code+"/name-correction", form), "/certificates/"+code)
	mustContain(t, holder.get("/certificates/"+code).Body, "You asked to print <strong><bdi>Zoë Ñúñez-Øberg</bdi></strong>")
	if res := holder.postForm("/certificates/"+code+"/name-correction", form); res.Status != http.StatusConflict {
		t.Fatalf("a second request = %d, want 409", res.Status)
	}

	// An instructor of another course cannot decide it; one of this course can.
	var nc models.NameCorrection
	if err := e.store.DB().Where("certificate_id = ?", cert.ID).Take(&nc).Error; err != nil {
		t.Fatal(err)
	}
	decideURL := "/admin/name-corrections/" + strconv.FormatInt(nc.ID, 10)
	other, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	outsider, _ := e.instructorOf(other)
	if strings.Contains(outsider.get("/admin/name-corrections").Body, "Zoë") {
		t.Fatal("an instructor of another course sees the request")
	}
	if res := outsider.postForm(decideURL, url.Values{"decision": {"approve"}}); res.Status != http.StatusNotFound {
		t.Fatalf("an outsider's approval = %d, want 404", res.Status)
	}
	seeded, err := e.store.CourseBySlug(ctx, courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	teacher, _ := e.instructorOf(seeded)
	mustContain(t, teacher.get("/admin/name-corrections").Body, "Zoe Nunez", "Zoë Ñúñez-Øberg", "My name lost its accents.")
	mustRedirect(t, teacher.postForm(decideURL, url.Values{"decision": {"approve"}}), "/certificates/"+code)
	if res := teacher.postForm(decideURL, url.Values{"decision": {"refuse"}}); res.Status != http.StatusConflict {
		t.Fatalf("deciding twice = %d, want 409", res.Status)
	}
	// The first entry is the opening of the seeded course's certificates above.
	if got := strings.Join(e.auditActions(), " "); got != "course.certificates_open certificate.name_correction.approve" {
		t.Fatalf("audit = %q", got)
	}

	// Same code and page, the new name, reissued; a new PDF and credential.
	page := visitor.get("/certificates/" + code)
	mustContain(t, page.Body, "Valid certificate", "Zoë Ñúñez-Øberg", "Reissued on 2 March 2026")
	if strings.Contains(page.Body, "Zoe Nunez") {
		t.Fatal("the public page still shows the old name")
	}
	pdf := visitor.get("/certificates/" + code + "/pdf")
	if text := pdfText(t, []byte(pdf.Body)); !strings.Contains(text, "Zoë Ñúñez-Øberg") || strings.Contains(text, "Zoe Nunez") {
		t.Fatalf("PDF text lacks the corrected name:\n%s", text)
	}
	newToken := visitor.get("/certificates/" + code + "/credential").Body
	jwks := []byte(visitor.get("/.well-known/jwks.json").Body)
	v, err := credential.VerifyJWKS(newToken, jwks)
	if err != nil || v.RecipientName != "Zoë Ñúñez-Øberg" || v.Code != code {
		t.Fatalf("reissued credential: %+v, %v", v, err)
	}
	_, oldIndex := statusOf(t, oldToken)
	if _, newIndex := statusOf(t, newToken); newIndex == oldIndex {
		t.Fatal("the reissued credential kept the old status index")
	}
	if !publishedBit(t, visitor, oldToken) {
		t.Fatal("the published list does not revoke the old credential")
	}
	if publishedBit(t, visitor, newToken) {
		t.Fatal("the published list revokes the reissued credential")
	}
	checkVerifyCommand(t, visitor, jwks, oldToken, newToken)

	// An admin's revocation sets the reissued credential's bit too.
	admin, _ := e.loginAs(models.RoleAdmin)
	mustRedirect(t, admin.postForm("/admin/certificates/"+code+"/revoke", url.Values{"reason": {"Issued in error"}}), "/certificates/"+code)
	if !publishedBit(t, visitor, newToken) {
		t.Fatal("revocation did not set the credential's bit")
	}
}

// checkVerifyCommand runs `courseportal verify` on both credentials with the
// published list, and without it.
func checkVerifyCommand(t *testing.T, c *client, jwks []byte, oldToken, newToken string) {
	t.Helper()
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	keys, list := write("jwks.json", string(jwks)), write("status.jwt", c.get("/credentials/status/1").Body)
	oldFile, newFile := write("old.jwt", oldToken), write("new.jwt", newToken)
	out, err := runCLI(t, "", "", "verify", "--jwks", keys, "--status", list, oldFile)
	var exit *exec.ExitError
	if !errors.As(err, &exit) || !strings.Contains(out, "VALID signature: Zoe Nunez") || !strings.Contains(out, "REVOKED") {
		t.Fatalf("verify of the old credential: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "", "verify", "--jwks", keys, "--status", list, newFile)
	if err != nil || !strings.Contains(out, "VALID signature: Zoë Ñúñez-Øberg") || !strings.Contains(out, "not revoked") {
		t.Fatalf("verify of the reissued credential: %v\n%s", err, out)
	}
	out, err = runCLI(t, "", "", "verify", "--jwks", keys, oldFile)
	if err != nil || !strings.Contains(out, "Revocation status: unknown") {
		t.Fatalf("verify without the list: %v\n%s", err, out)
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin := testdb.Tool(t, "pdftotext", "poppler-utils")
	cmd := exec.Command(bin, "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
