package routes_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"courseportal/models"
)

// readerOn is the same browser (its cookies) talking to another instance.
func readerOn(e *env, c *client) *client {
	return &client{e: e, cookies: c.cookies}
}

// readerPath is the seeded course's first reading.
const readerPath = "/learn/" + courseSlug + "/readings/" + readingSlug

// mustReadAgain opens the reading twice on one instance: the first view
// notes the opening, the second is served in one statement.
func mustReadAgain(t *testing.T, c *client) {
	t.Helper()
	for range 2 {
		if res := c.get(readerPath); res.Status != http.StatusOK || !strings.Contains(res.Body, `id="reading"`) {
			t.Fatalf("reader = %d", res.Status)
		}
	}
}

// Logging out, disabling the account and withdrawing, each done on another
// instance, shut the reader and its progress reports at once: nothing about
// a session or an enrollment is kept in the process that serves them.
func TestReaderEndsAtOnceAcrossInstances(t *testing.T) {
	e := newEnv(t)
	other := e.instance()
	progress := `{"course":"` + courseSlug + `","percent":10,"position":"p-1","seconds":5}`
	progressPath := "/api/v1/me/readings/" + readingSlug + "/progress"

	t.Run("logout", func(t *testing.T) {
		c := joinSeeded(t, e, "Mina Logout")
		mustReadAgain(t, c)
		if res := readerOn(other, c).postForm("/logout", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("logout on the other instance = %d", res.Status)
		}
		stale := &client{e: e, cookies: map[string]string{"session": c.cookies["session"]}}
		res := stale.get(readerPath)
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Fatalf("reader after logout elsewhere = %d %q, want a redirect to log in", res.Status, res.Header.Get("Location"))
		}
	})

	t.Run("disable", func(t *testing.T) {
		c := joinSeeded(t, e, "Mina Disabled")
		mustReadAgain(t, c)
		if res := c.sendJSON(http.MethodPut, progressPath, progress); res.Status != http.StatusOK {
			t.Fatalf("progress before = %d %s", res.Status, res.Body)
		}
		u := e.userOf("mina.disabled@example.org")
		admin, _ := other.loginAs(models.RoleAdmin)
		path := fmt.Sprintf("/admin/users/%d", u.ID)
		mustRedirect(t, admin.postForm(path+"/disable", nil), path)
		res := c.get(readerPath)
		if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
			t.Fatalf("reader after disabling elsewhere = %d %q, want a redirect to log in", res.Status, res.Header.Get("Location"))
		}
	})

	t.Run("withdraw", func(t *testing.T) {
		c := joinSeeded(t, e, "Mina Withdrawn")
		mustReadAgain(t, c)
		if res := readerOn(other, c).postForm("/courses/"+courseSlug+"/withdraw", nil); res.Status != http.StatusSeeOther {
			t.Fatalf("withdraw on the other instance = %d", res.Status)
		}
		res := c.get(readerPath)
		if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/join/"+courseSlug {
			t.Fatalf("reader after withdrawing elsewhere = %d %q, want the join page", res.Status, res.Header.Get("Location"))
		}
		if res := c.sendJSON(http.MethodPut, progressPath, progress); res.Status < 400 || res.Status >= 500 {
			t.Fatalf("progress after withdrawing elsewhere = %d, want a refusal", res.Status)
		}
	})
}
