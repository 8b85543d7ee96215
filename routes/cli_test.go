package routes_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

var (
	buildOnce sync.Once
	binary    string
	buildErr  error
)

// courseportalBinary builds the command once per test run.
func courseportalBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "courseportal-bin")
		if err != nil {
			buildErr = err
			return
		}
		binary = filepath.Join(dir, "courseportal")
		out, err := exec.Command("go", "build", "-o", binary, "courseportal").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binary
}

func runCLI(t *testing.T, dbURL, stdin string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(courseportalBinary(t), args...)
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, "LOG_LEVEL=warn")
	cmd.Stdin = strings.NewReader(stdin)
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	return string(out), err
}

func TestCLIMigrateAndAdminCreate(t *testing.T) {
	dbURL := testdb.URL(t)
	if out, err := runCLI(t, dbURL, "", "migrate"); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	out, err := runCLI(t, dbURL, "a long passphrase\n", "admin", "create", "--email", "Boss@Example.org", "--name", "The Boss")
	if err != nil || !strings.Contains(out, "Created administrator The Boss <boss@example.org>") {
		t.Fatalf("admin create: %v\n%s", err, out)
	}
	if strings.Contains(out, "a long passphrase") {
		t.Fatal("the password was echoed")
	}
	out, err = runCLI(t, dbURL, "", "admin", "create", "--email", "second@example.org", "--name", "Second")
	if err != nil || !strings.Contains(out, "Generated password") {
		t.Fatalf("admin create with a generated password: %v\n%s", err, out)
	}
	if out, err := runCLI(t, dbURL, "short\n", "admin", "create", "--email", "third@example.org", "--name", "Third"); err == nil {
		t.Fatalf("a short password was accepted:\n%s", out)
	}
	if out, err := runCLI(t, dbURL, "a long passphrase\n", "admin", "create", "--email", "BOSS@example.org", "--name", "Again"); err == nil {
		t.Fatalf("a duplicate admin was created:\n%s", out)
	}
}

func TestCLIRejectsBadConfiguration(t *testing.T) {
	cases := map[string][]string{
		"port":       {"PORT=abc"},
		"database":   {"DATABASE_URL=mysql://x"},
		"log level":  {"LOG_LEVEL=loud"},
		"log format": {"LOG_FORMAT=xml"},
		"base url":   {"BASE_URL=not a url"},
		"smtp url":   {"SMTP_URL=http://mail.example.org"},
		"mail from":  {"MAIL_FROM=not an address"},
		"metrics":    {"METRICS_ADDR=9090"},
		"pprof":      {"PPROF_ADDR=6060"},
	}
	for name, env := range cases {
		t.Run(name, func(t *testing.T) {
			cmd := exec.Command(courseportalBinary(t), "migrate")
			cmd.Env = append(os.Environ(), env...)
			cmd.Dir = t.TempDir()
			out, err := cmd.CombinedOutput()
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			if err == nil || len(lines) != 1 || strings.Contains(string(out), "panic") {
				t.Fatalf("bad %s: err=%v output:\n%s", name, err, out)
			}
		})
	}
}

func TestServeAnswersAndShutsDownGracefully(t *testing.T) {
	dbURL := testdb.URL(t)
	port, metricsPort := freePort(t), freePort(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, courseportalBinary(t), "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+dbURL, fmt.Sprintf("PORT=%d", port), "LOG_FORMAT=json",
		fmt.Sprintf("METRICS_ADDR=127.0.0.1:%d", metricsPort))
	cmd.Dir = t.TempDir()
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	ready := false
	for range 100 {
		if res, err := http.Get(base + "/readyz"); err == nil {
			res.Body.Close()
			ready = res.StatusCode == http.StatusOK
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if !ready {
		t.Fatalf("server never became ready:\n%s", logs.String())
	}
	for _, path := range []string{"/healthz", "/", "/courses/international-relations", "/api/v1/courses", "/.well-known/jwks.json"} {
		res, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if err != nil {
			t.Fatalf("GET %s: reading the body: %v", path, err)
		}
		if res.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d", path, res.StatusCode)
		}
	}
	// Metrics are on their own listener, never on the public one.
	if status, body := httpGet(t, fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort)); status != http.StatusOK ||
		!strings.Contains(body, `courseportal_http_requests_total{method="GET",route="/api/v1/courses",status="200"} 1`) {
		t.Errorf("metrics listener = %d:\n%s", status, body)
	}
	if status, _ := httpGet(t, base+"/metrics"); status != http.StatusNotFound {
		t.Errorf("GET /metrics on the public port = %d, want 404", status)
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("server did not exit cleanly on SIGTERM: %v\n%s", err, logs.String())
	}
	if !strings.Contains(logs.String(), "shutting down") {
		t.Fatalf("no shutdown log:\n%s", logs.String())
	}
}

func TestCLIVerifyCredentialOffline(t *testing.T) {
	e := newEnv(t)
	_, code := completeSeeded(t, e, "Offline Checker")
	c := e.client()
	dir := t.TempDir()
	token := c.get("/certificates/" + code + "/credential").Body
	jwks := writeFile(t, dir, "jwks.json", c.get("/.well-known/jwks.json").Body)
	good := writeFile(t, dir, "good.jwt", token)
	out, err := runCLI(t, "", "", "verify", "--jwks", jwks, good)
	if err != nil || !strings.Contains(out, "VALID signature: Offline Checker") {
		t.Fatalf("verify good credential: %v\n%s", err, out)
	}
	parts := strings.Split(token, ".")
	p := []byte(parts[1])
	if p[5] == 'A' {
		p[5] = 'B'
	} else {
		p[5] = 'A'
	}
	bad := writeFile(t, dir, "bad.jwt", parts[0]+"."+string(p)+"."+parts[2])
	out, err = runCLI(t, "", "", "verify", "--jwks", jwks, bad)
	if err == nil || !strings.Contains(out, "TAMPERED") {
		t.Fatalf("verify tampered credential: %v\n%s", err, out)
	}
}

// writeFile writes content to dir/name and returns the file's path.
func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	path := filepath.Join(dir, name)
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCLIOpenCertificates(t *testing.T) {
	dbURL := testdb.URL(t)
	db, dialect := testdb.OpenDB(t, dbURL)
	store := models.NewStore(db, dialect, nil)
	ctx := t.Context()
	course, err := store.CourseBySlug(ctx, courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	u := testdb.User(t, store, models.RoleStudent)
	if _, err := store.Enroll(ctx, u.ID, course); err != nil {
		t.Fatal(err)
	}
	a, err := store.ReadingAccess(ctx, u.ID, courseSlug, readingSlug)
	if err != nil {
		t.Fatal(err)
	}
	check, err := store.CheckOf(ctx, a.Reading.ID)
	if err != nil {
		t.Fatal(err)
	}
	answers := models.Answers{}
	for _, q := range check.Questions {
		answers[q.ID] = []int64{rightOption(q).ID}
	}
	if res, err := store.SubmitAttempt(ctx, a, check, answers); err != nil || res.CertificateCode != "" {
		t.Fatalf("passing before certificates open = %+v, %v", res, err)
	}
	out, err := runCLI(t, dbURL, "", "course", "open-certificates", courseSlug)
	if err != nil || !strings.Contains(out, "1 student completed the course just now") {
		t.Fatalf("open-certificates: %v\n%s", err, out)
	}
	var certs int64
	if err := db.Model(&models.Certificate{}).Where("user_id = ?", u.ID).Count(&certs).Error; err != nil || certs != 1 {
		t.Fatalf("%d certificates after opening, %v", certs, err)
	}
	if out, err := runCLI(t, dbURL, "", "course", "open-certificates", courseSlug); err != nil || !strings.Contains(out, "0 students") {
		t.Fatalf("opening again: %v\n%s", err, out)
	}
	if out, err := runCLI(t, dbURL, "", "course", "open-certificates", "no-such-course"); err == nil || !strings.Contains(out, "no course has the slug") {
		t.Fatalf("unknown course: %v\n%s", err, out)
	}
	var audit int64
	if err := db.Model(&models.AuditEntry{}).Where("action = ? AND actor_id IS NULL", "course.certificates_open").Count(&audit).Error; err != nil || audit != 1 {
		t.Fatalf("audit entries = %d, %v", audit, err)
	}
}

// freePort is a loopback port nobody listens on at the moment.
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}

// httpGet fetches a URL and returns its status and body.
func httpGet(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", url, err)
	}
	return res.StatusCode, string(body)
}

// A name or title signed before names were checked, or by another issuer,
// may hold terminal escapes or bidi overrides: verify prints them escaped.
func TestCLIVerifyEscapesControlCharacters(t *testing.T) {
	e := newEnv(t)
	_, code := completeSeeded(t, e, "Plain Name")
	err := e.store.DB().Model(&models.Certificate{}).Where("code = ?", code).
		Updates(map[string]any{"recipient_name": "Red \x1b[31mAlert\x07 \u202eevil", "course_title": "Course\u0085\x1b]0;title\x07"}).Error
	if err != nil {
		t.Fatal(err)
	}
	c := e.client()
	dir := t.TempDir()
	jwks := writeFile(t, dir, "jwks.json", c.get("/.well-known/jwks.json").Body)
	credentialFile := writeFile(t, dir, "c.jwt", c.get("/certificates/"+code+"/credential").Body)
	out, err := runCLI(t, "", "", "verify", "--jwks", jwks, credentialFile)
	if err != nil {
		t.Fatalf("verify: %v\n%s", err, out)
	}
	if strings.ContainsAny(out, "\x1b\x07\u0085\u202e") {
		t.Fatalf("verify printed control characters: %q", out)
	}
	mustContain(t, out, `Red \x1b[31mAlert\x07 \u202eevil`, `Course\u0085\x1b]0;title\x07`)
}

// roster repair-counts recounts the counts kept per cohort: nothing to fix
// on a fresh database, one cohort fixed after a count was changed by hand.
func TestCLIRosterRepairCounts(t *testing.T) {
	dbURL := testdb.URL(t)
	out, err := runCLI(t, dbURL, "", "roster", "repair-counts")
	if err != nil || !strings.Contains(out, "the counts of 0 cohorts were wrong") {
		t.Fatalf("repair-counts: %v\n%s", err, out)
	}
	db, _ := testdb.OpenDB(t, dbURL)
	if err := db.Exec("UPDATE cohort_counts SET active = active + 3").Error; err != nil {
		t.Fatal(err)
	}
	out, err = runCLI(t, dbURL, "", "roster", "repair-counts")
	if err != nil || !strings.Contains(out, "the counts of 1 cohort were wrong and are fixed") {
		t.Fatalf("repair-counts after a change by hand: %v\n%s", err, out)
	}
	if out, err := runCLI(t, dbURL, "", "roster", "recount"); err == nil || !strings.Contains(out, "usage: courseportal roster repair-counts") {
		t.Fatalf("an unknown roster command: %v\n%s", err, out)
	}
}
