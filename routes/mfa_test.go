package routes_test

import (
	"context"
	"encoding/base64"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// oathCode asks oath-toolkit's oathtool, an implementation independent of
// ours, for the TOTP code of a base32 secret at the env's time.
func (e *env) oathCode(t *testing.T, secret string) string {
	t.Helper()
	bin := testdb.Tool(t, "oathtool", "oath-toolkit")
	now := e.clock.Now().UTC().Format("2006-01-02 15:04:05 UTC")
	out, err := exec.Command(bin, "--totp", "--base32", "--now="+now, secret).Output()
	if err != nil {
		t.Fatalf("oathtool: %v", err)
	}
	return strings.TrimSpace(string(out))
}

var (
	mfaSecretText = regexp.MustCompile(`<p class="mfa-secret"[^>]*>([A-Z2-7]+)</p>`)
	mfaQR         = regexp.MustCompile(`<img class="mfa-qr" src="data:image/png;base64,([A-Za-z0-9+/=&#;]+)"`)
	recoveryCodes = regexp.MustCompile(`<li><code>([A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4})</code></li>`)
)

// enrolMFA turns on the second factor through the enrolment page and
// returns the secret and the recovery codes.
func (e *env) enrolMFA(t *testing.T, c *client) (string, []string) {
	t.Helper()
	page := c.get("/account/mfa")
	m := mfaSecretText.FindStringSubmatch(page.Body)
	if page.Status != http.StatusOK || m == nil || !mfaQR.MatchString(page.Body) {
		t.Fatalf("enrolment page = %d without a secret and QR code:\n%s", page.Status, page.Body)
	}
	secret := m[1]
	if again := mfaSecretText.FindStringSubmatch(c.get("/account/mfa").Body); again == nil || again[1] != secret {
		t.Fatal("reloading the enrolment page changed the secret")
	}
	if res := c.postForm("/account/mfa", url.Values{"code": {"000000"}}); res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("wrong enrolment code = %d, want 422", res.Status)
	}
	res := c.postForm("/account/mfa", url.Values{"code": {e.oathCode(t, secret)}})
	var codes []string
	for _, m := range recoveryCodes.FindAllStringSubmatch(res.Body, -1) {
		codes = append(codes, m[1])
	}
	if res.Status != http.StatusOK || len(codes) != models.RecoveryCodeCount {
		t.Fatalf("confirming enrolment = %d with %d recovery codes:\n%s", res.Status, len(codes), res.Body)
	}
	return secret, codes
}

// startLogin gives the password and expects to be asked for the code.
func startLogin(t *testing.T, c *client, u *models.User) {
	t.Helper()
	res := c.postForm("/login", url.Values{"email": {u.Email}, "password": {testdb.Password}})
	mustRedirect(t, res, "/login/mfa")
	if _, ok := c.cookies["session"]; ok {
		t.Fatal("a session cookie was set before the second factor")
	}
}

func TestMFAEnrolmentAndSignInWithCodesFromOathtool(t *testing.T) {
	e := newEnv(t)
	u := testdb.User(t, e.store, models.RoleInstructor)
	c := e.login(u)
	secret, codes := e.enrolMFA(t, c)
	checkQRCode(t, c, secret)
	for _, code := range codes {
		var hashes int64
		if err := e.store.DB().Model(&models.RecoveryCode{}).Where("code_hash = ?", code).Count(&hashes).Error; err != nil {
			t.Fatal(err)
		}
		if hashes != 0 {
			t.Fatal("a recovery code is stored in clear")
		}
	}
	if strings.Contains(c.get("/account/mfa").Body, codes[0]) {
		t.Fatal("recovery codes are shown again")
	}

	// The password alone signs nobody in: the half-signed-in browser has no session.
	b := e.client()
	startLogin(t, b, u)
	mustRedirect(t, b.get("/dashboard"), "/login")
	// The code the enrolment used is spent for its 30-second window.
	used := e.oathCode(t, secret)
	res := b.postForm("/login/mfa", url.Values{"code": {used}})
	if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "already used") {
		t.Fatalf("reused code = %d, want 401 already used\n%s", res.Status, res.Body)
	}
	e.clock.Advance(30 * time.Second)
	res = b.postForm("/login/mfa", url.Values{"code": {e.oathCode(t, secret)}})
	mustRedirect(t, res, "/dashboard")
	if b.get("/dashboard").Status != http.StatusOK {
		t.Fatal("not signed in after the second factor")
	}
	// The same code again, in the same window, from another browser: refused.
	other := e.client()
	startLogin(t, other, u)
	if res := other.postForm("/login/mfa", url.Values{"code": {e.oathCode(t, secret)}}); res.Status != http.StatusUnauthorized {
		t.Fatalf("a code used once = %d, want 401", res.Status)
	}
	// A recovery code works once.
	mustRedirect(t, other.postForm("/login/mfa", url.Values{"recovery_code": {strings.ToLower(codes[3])}}), "/dashboard")
	again := e.client()
	startLogin(t, again, u)
	if res := again.postForm("/login/mfa", url.Values{"recovery_code": {codes[3]}}); res.Status != http.StatusUnauthorized {
		t.Fatalf("a spent recovery code = %d, want 401", res.Status)
	}
	if left, err := e.store.RecoveryCodesLeft(context.Background(), u.ID); err != nil || left != 9 {
		t.Fatalf("recovery codes left = %d, %v; want 9", left, err)
	}
}

// checkQRCode reads the enrolment QR code with zbarimg and checks it
// carries the secret shown as text.
func checkQRCode(t *testing.T, c *client, secret string) {
	t.Helper()
	// Turned on already: a fresh enrolment page of another person shows the code.
	e := c.e
	u := testdb.User(t, e.store, models.RoleStudent)
	page := e.login(u).get("/account/mfa").Body
	m, s := mfaQR.FindStringSubmatch(page), mfaSecretText.FindStringSubmatch(page)
	if m == nil || s == nil {
		t.Fatal("no QR code on the enrolment page")
	}
	png, err := base64.StdEncoding.DecodeString(html.UnescapeString(m[1]))
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(file, png, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(testdb.Tool(t, "zbarimg", "zbar-tools"), "--raw", "-q", file).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	otpauth, err := url.Parse(strings.TrimSpace(string(out)))
	if err != nil || otpauth.Scheme != "otpauth" || otpauth.Host != "totp" || otpauth.Query().Get("secret") != s[1] ||
		otpauth.Query().Get("issuer") != "courseportal" || !strings.Contains(otpauth.Path, u.Email) {
		t.Fatalf("QR code reads %q, want the otpauth URL of secret %s", out, s[1])
	}
	if s[1] == secret {
		t.Fatal("two people got the same secret")
	}
}

func TestMFAThrottleAndChallengeExpiry(t *testing.T) {
	e := newEnv(t)
	u := testdb.User(t, e.store, models.RoleAdmin)
	b := e.client()
	startLogin(t, b, u)
	for i := 0; i < models.MFAFailureLimit; i++ {
		if res := b.postForm("/login/mfa", url.Values{"code": {"123456"}}); res.Status != http.StatusUnauthorized {
			t.Fatalf("wrong code %d = %d, want 401", i+1, res.Status)
		}
	}
	res := b.postForm("/login/mfa", url.Values{"code": {e.oathCode(t, testdb.MFASecret)}})
	if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("right code after %d wrong ones = %d, want 429 with Retry-After", models.MFAFailureLimit, res.Status)
	}
	// The challenge lives only minutes, on the server: a late or forged one
	// goes back to the password.
	e.clock.Advance(models.MFAChallengeTTL + time.Second)
	mustRedirect(t, b.get("/login/mfa"), "/login")
	mustRedirect(t, b.postForm("/login/mfa", url.Values{"recovery_code": {testdb.RecoveryCode(u, 0)}}), "/login")
	forged := e.client()
	forged.cookies["mfa"] = "forged-token-forged-token-forged-token-forge"
	mustRedirect(t, forged.postForm("/login/mfa", url.Values{"recovery_code": {testdb.RecoveryCode(u, 0)}}), "/login")
	if _, ok := forged.cookies["session"]; ok {
		t.Fatal("a forged challenge signed in")
	}
	// Once the window passes, the right code works again.
	e.clock.Advance(models.MFAFailureWindow)
	startLogin(t, b, u)
	mustRedirect(t, b.postForm("/login/mfa", url.Values{"code": {e.oathCode(t, testdb.MFASecret)}}), "/dashboard")
}

func TestAdminWithoutSecondFactorCannotUseTheConsole(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin, err := e.store.CreateUser(ctx, models.NewAccount{FullName: "New Admin", Email: "new.admin@example.org",
		Password: testdb.Password, Role: models.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	student := testdb.User(t, e.store, models.RoleStudent)
	c := e.login(admin)
	mustRedirect(t, c.get("/admin/"), "/account/mfa?next=%2Fadmin%2F")
	mustRedirect(t, c.get("/admin/users"), "/account/mfa")
	mustRedirect(t, c.postForm("/admin/users/"+strconv.FormatInt(student.ID, 10)+"/role", url.Values{"role": {models.RoleAdmin}}), "/account/mfa")
	if u, err := e.store.UserByID(ctx, student.ID); err != nil || u.Role != models.RoleStudent {
		t.Fatalf("role changed without a second factor: %+v %v", u, err)
	}
	// A bearer token is no way around it.
	api := e.client()
	tok := api.sendJSON(http.MethodPost, "/api/v1/sessions", `{"email":"new.admin@example.org","password":"`+testdb.Password+`"}`)
	if tok.Status != http.StatusCreated {
		t.Fatalf("token = %d %s", tok.Status, tok.Body)
	}
	api.bearer = tok.json(t)["token"].(string)
	req := httptest.NewRequest(http.MethodGet, "/admin/users", nil)
	req.Header.Set("Accept", "application/json")
	if res := api.do(req); res.Status != http.StatusForbidden || res.errorCode(t) != "mfa_required" {
		t.Fatalf("console over the API = %d %s, want 403 mfa_required", res.Status, res.Body)
	}
	// After enrolment the console opens, and the factor cannot be turned off.
	_, _ = e.enrolMFA(t, c)
	if res := c.get("/admin/users"); res.Status != http.StatusOK {
		t.Fatalf("console after enrolment = %d", res.Status)
	}
	if res := c.postForm("/account/mfa/disable", url.Values{"current_password": {testdb.Password}}); res.Status != http.StatusConflict {
		t.Fatalf("an admin turning the factor off = %d, want 409", res.Status)
	}
	if u, err := e.store.UserByID(ctx, admin.ID); err != nil || !u.HasMFA() {
		t.Fatalf("admin's second factor after the refused turn-off: %+v %v", u, err)
	}
}

func TestInstructorMayTurnTheSecondFactorOff(t *testing.T) {
	e := newEnv(t)
	u := testdb.User(t, e.store, models.RoleInstructor)
	c := e.login(u)
	e.enrolMFA(t, c)
	if res := c.postForm("/account/mfa/disable", url.Values{"current_password": {"wrong password"}}); res.Status != http.StatusUnauthorized {
		t.Fatalf("turn-off with a wrong password = %d, want 401", res.Status)
	}
	mustRedirect(t, c.postForm("/account/mfa/disable", url.Values{"current_password": {testdb.Password}}), "/account/mfa")
	var rows int64
	if err := e.store.DB().Model(&models.RecoveryCode{}).Where("user_id = ?", u.ID).Count(&rows).Error; err != nil || rows != 0 {
		t.Fatalf("recovery codes left after turning off: %d, %v", rows, err)
	}
	mustRedirect(t, e.client().postForm("/login", url.Values{"email": {u.Email}, "password": {testdb.Password}}), "/dashboard")
}

func TestAPITokenNeedsTheSecondFactor(t *testing.T) {
	e := newEnv(t)
	u := testdb.User(t, e.store, models.RoleAdmin)
	c := e.client()
	body := `{"email":"` + u.Email + `","password":"` + testdb.Password + `"`
	res := c.sendJSON(http.MethodPost, "/api/v1/sessions", body+`}`)
	if res.Status != http.StatusUnauthorized || res.errorCode(t) != "mfa_required" {
		t.Fatalf("token without a code = %d %s, want 401 mfa_required", res.Status, res.Body)
	}
	if strings.Contains(res.Body, "token\"") {
		t.Fatal("a token was issued before the second factor")
	}
	if res := c.sendJSON(http.MethodPost, "/api/v1/sessions", body+`,"code":"000000"}`); res.errorCode(t) != "invalid_code" {
		t.Fatalf("wrong code = %d %s, want invalid_code", res.Status, res.Body)
	}
	res = c.sendJSON(http.MethodPost, "/api/v1/sessions", body+`,"code":"`+e.oathCode(t, testdb.MFASecret)+`"}`)
	if res.Status != http.StatusCreated || res.json(t)["token"] == "" {
		t.Fatalf("token with the code = %d %s", res.Status, res.Body)
	}
}

func TestSensitiveConsoleActionsAskAgainAfterFifteenMinutes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	admin, _ := e.loginAs(models.RoleAdmin)
	student := testdb.User(t, e.store, models.RoleStudent)
	roleURL := "/admin/users/" + strconv.FormatInt(student.ID, 10) + "/role"
	roleOf := func() string {
		u, err := e.store.UserByID(ctx, student.ID)
		if err != nil {
			t.Fatal(err)
		}
		return u.Role
	}

	e.clock.Advance(models.ConfirmationWindow + time.Minute)
	res := admin.postForm(roleURL, url.Values{"role": {models.RoleInstructor}})
	if res.Status != http.StatusForbidden || roleOf() != models.RoleStudent {
		t.Fatalf("role change with an old confirmation = %d (role %s), want 403 and no change", res.Status, roleOf())
	}
	mustContain(t, res.Body, "Confirm it is you", `action="`+roleURL+`"`, `name="role" value="instructor"`, `name="current_password"`, `name="code"`)
	if res := admin.postForm(roleURL, url.Values{"role": {models.RoleInstructor}, "current_password": {"not my password"}}); res.Status != http.StatusUnauthorized || roleOf() != models.RoleStudent {
		t.Fatalf("wrong password = %d, role %s", res.Status, roleOf())
	}
	// The confirmation form repeats the action: the right password carries it out.
	mustRedirect(t, admin.postForm(roleURL, url.Values{"role": {models.RoleInstructor}, "current_password": {testdb.Password}}), "/admin/users/")
	if roleOf() != models.RoleInstructor {
		t.Fatal("the confirmed action did not happen")
	}
	// Within the window nothing is asked.
	mustRedirect(t, admin.postForm("/admin/users/"+strconv.FormatInt(student.ID, 10)+"/disable", nil), "/admin/users/")

	// A code from the app confirms too.
	e.clock.Advance(models.ConfirmationWindow)
	if res := admin.postForm("/admin/users/"+strconv.FormatInt(student.ID, 10)+"/enable", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("enabling (not sensitive) = %d", res.Status)
	}
	if res := admin.postForm(roleURL, url.Values{"role": {models.RoleStudent}}); res.Status != http.StatusForbidden {
		t.Fatalf("second change after the window = %d, want 403", res.Status)
	}
	mustRedirect(t, admin.postForm(roleURL, url.Values{"role": {models.RoleStudent}, "code": {e.oathCode(t, testdb.MFASecret)}}), "/admin/users/")
	if roleOf() != models.RoleStudent {
		t.Fatal("the action confirmed by a code did not happen")
	}
	if got := strings.Join(e.auditActions(), " "); got != "user.role user.disable user.enable user.role" {
		t.Fatalf("audit = %q", got)
	}
}

func TestStaffSessionsEndAfterTwelveHoursIdle(t *testing.T) {
	e := newEnv(t)
	staff, _ := e.loginAs(models.RoleInstructor)
	student, _ := e.loginAs(models.RoleStudent)
	e.clock.Advance(11 * time.Hour)
	if staff.get("/dashboard").Status != http.StatusOK {
		t.Fatal("staff session ended before 12 hours idle")
	}
	e.clock.Advance(12*time.Hour + time.Minute)
	mustRedirect(t, staff.get("/dashboard"), "/login")
	if student.get("/dashboard").Status != http.StatusOK {
		t.Fatal("a student's session ended after 23 hours")
	}
}
