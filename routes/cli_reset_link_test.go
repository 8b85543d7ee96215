package routes_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// An operator without mail prints a reset link; it works in the app, once,
// and the audit log records that it was made.
func TestCLIUserResetLink(t *testing.T) {
	dbURL := testdb.URL(t)
	if out, err := runCLI(t, dbURL, "a long passphrase\n", "admin", "create", "--email", "boss@example.org", "--name", "The Boss"); err != nil {
		t.Fatalf("admin create: %v\n%s", err, out)
	}
	out, err := runCLI(t, dbURL, "", "user", "reset-link", "--email", "Boss@Example.org")
	link := regexp.MustCompile(`http://localhost:3000(/password/reset/[A-Za-z0-9_-]{43})\n`).FindStringSubmatch(out)
	if err != nil || link == nil {
		t.Fatalf("user reset-link: %v\n%s", err, out)
	}
	if out, err := runCLI(t, dbURL, "", "user", "reset-link", "--email", "nobody@example.org"); err == nil ||
		!strings.Contains(out, "no account uses nobody@example.org") {
		t.Fatalf("reset-link for an unknown address: %v\n%s", err, out)
	}
	if out, err := runCLI(t, dbURL, "", "user", "reset-link"); err == nil || !strings.Contains(out, "usage") {
		t.Fatalf("reset-link without --email: %v\n%s", err, out)
	}

	// The link was made on the machine's clock, within its hour.
	e := newEnvAt(t, dbURL, &models.FixedClock{T: time.Now()})
	c := e.client()
	mustRedirect(t, c.postForm(link[1], url.Values{"password": {"a new passphrase"}}), "/dashboard")
	if res := e.client().get(link[1]); res.Status != http.StatusGone {
		t.Fatalf("the printed link after use = %d, want 410", res.Status)
	}
	var entries []models.AuditEntry
	if err := e.store.DB().Where("action = ?", "user.reset_link").Find(&entries).Error; err != nil || len(entries) != 1 ||
		entries[0].ActorID != nil || entries[0].Detail != "created on the command line" {
		t.Fatalf("audit = %+v, %v", entries, err)
	}
}
