package routes_test

import (
	"net/http"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

func TestAccessibilityStatementSaysWhatWasTestedAndWhomToTell(t *testing.T) {
	e := newEnv(t)
	res := e.client().get("/accessibility")
	if res.Status != http.StatusOK {
		t.Fatalf("GET /accessibility = %d", res.Status)
	}
	mustContain(t, res.Body, "<h1>Accessibility statement</h1>", "WCAG", "Chromium", "320, 390 and 1280 pixels wide",
		"light and in dark mode", "axe-core", "Nu Html Checker", "Keyboard-only journeys", "Report a problem",
		`href="mailto:team@thekootneeti.com"`, `href="tel:&#43;911204565994"`)
}

func TestPrivacyPageStatesTheCodesRetention(t *testing.T) {
	e := newEnv(t)
	res := e.client().get("/privacy")
	if res.Status != http.StatusOK {
		t.Fatalf("GET /privacy = %d", res.Status)
	}
	mustContain(t, res.Body, "argon2id", "seconds you spent reading", "Knowledge checks", "Certificates", "Sessions",
		"The audit log", "Mail",
		// The numbers of models: SessionIdle, StaffSessionIdle, SessionMaxAge,
		// the housekeeping interval, the throttling window and its margin,
		// and the links' lifetimes.
		"after 14 days without use (12 hours for the course team", "after 30 days at most", "deleted within 10 minutes",
		"count for 15 minutes and are deleted after about 75 minutes", "deleted after about 2 hours",
		"reset link works for 1 hour", "confirmation link for 7 days", "new address for 1 day",
		"The instructors of a course you are enrolled in", "Administrators", "Anyone with a certificate",
		`href="/account"`, "Download your data", "Delete your account", "kept without your name")
}

func TestEveryPageHasTheFooter(t *testing.T) {
	e := newEnv(t)
	student := e.login(testdb.User(t, e.store, models.RoleStudent))
	visitor := e.client()
	pages := map[string]response{
		"home":         visitor.get("/"),
		"course page":  visitor.get("/courses/" + courseSlug),
		"login":        visitor.get("/login"),
		"unknown page": visitor.get("/no-such-page"),
		"dashboard":    student.get("/dashboard"),
		"account":      student.get("/account"),
		"privacy":      visitor.get("/privacy"),
	}
	for name, res := range pages {
		t.Run(name, func(t *testing.T) {
			mustContain(t, res.Body, `<footer class="site-footer">`, "Contact the course team",
				`<a href="mailto:team@thekootneeti.com">team@thekootneeti.com</a>`,
				`<a href="tel:&#43;911204565994">(&#43;91) 120 4565994</a>`,
				`<a href="https://courses.thekootneeti.in" rel="noopener">courses.thekootneeti.in</a>`,
				`<a href="/accessibility">`, `<a href="/privacy">`)
		})
	}
}
