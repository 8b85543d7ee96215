package routes_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// screenshotsInBothSchemes saves the page at 320, 390 and 1280 px, light
// and dark, as NAME-light-320.png and so on.
func (tb *browserTab) screenshotsInBothSchemes(dir, name string) {
	tb.t.Helper()
	for _, scheme := range []string{"light", "dark"} {
		tb.do("prefer "+scheme, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
			return err
		}))
		tb.setViewport(320, 640)
		tb.do("settle", chromedp.Sleep(100*time.Millisecond))
		if overflow := browserEval[int](tb, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); overflow > 0 {
			tb.t.Errorf("%s at 320 px (%s) scrolls sideways by %d px", name, scheme, overflow)
		}
		png, err := chromedp.Run(tb.ctx, browserFullPagePNG)
		if err != nil {
			tb.fatalf("screenshot %s at 320 px: %v", name, err)
		}
		writeShot(tb.t, dir, fmt.Sprintf("%s-%s-320.png", name, scheme), png)
		tb.screenshots(dir, name+"-"+scheme)
	}
}

// TestBrowserTwoStepSignInAndNameCorrection walks an administrator through
// enrolment, the code at sign-in and a re-confirmed approval of a name
// correction, in Chromium, and keeps screenshots of every new page.
func TestBrowserTwoStepSignInAndNameCorrection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	b := newChromeBrowser(t, e.serve())
	shots := browserScreenshotDir(t)
	admin, err := e.store.CreateUser(ctx, models.NewAccount{FullName: "Nadia Karimi", Email: "nadia@example.org",
		Password: testdb.Password, Role: models.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	holder, code := completeSeeded(t, e, "Ahmad Rahimy")
	mustRedirect(t, holder.postForm("/certificates/"+code+"/name-correction", map[string][]string{
		"full_name": {"احمد رحیمی"}, "reason": {"My name in Dari script, as on my passport."}}), "/certificates/")

	p := b.person()
	signIn := func() {
		p.open("/login")
		p.do("fill the login form", chromedp.SendKeys(chromedp.ID("email"), admin.Email),
			chromedp.SendKeys(chromedp.ID("password"), testdb.Password))
		p.follow("the login button", `//form//button[normalize-space(.)="Log in"]`)
	}
	signIn()
	p.open("/admin/")
	if got := p.path(); got != "/account/mfa?next=%2Fadmin%2F" {
		p.fatalf("an admin without a second factor reached %s, want enrolment", got)
	}
	p.see("Administrators sign in with a second factor", "Scan this QR code")
	p.screenshotsInBothSchemes(shots, "mfa-enrol")
	secret := browserEval[string](p, `document.querySelector('.mfa-secret').textContent`)
	p.do("type the code", chromedp.SendKeys(chromedp.ID("code"), e.oathCode(t, secret)))
	p.follow("the turn-on button", `//button[normalize-space(.)="Turn on two-step sign-in"]`)
	p.see("Your recovery codes", "shown only this once")
	p.screenshotsInBothSchemes(shots, "mfa-codes")
	p.follow("the continue link", `//a[contains(., "continue")]`)
	if got := p.path(); got != "/admin/" {
		p.fatalf("after enrolment the browser is on %s, want the console", got)
	}
	p.open("/account/mfa")
	p.see("You sign in with your password and a code", "10 of 10 recovery codes left")
	p.screenshotsInBothSchemes(shots, "mfa-on")

	// The sign-in asks for the code after the password.
	p.follow("the log-out button", `//button[normalize-space(.)="Log out"]`)
	signIn()
	if got := p.path(); got != "/login/mfa" {
		p.fatalf("after the password the browser is on %s, want /login/mfa", got)
	}
	p.screenshotsInBothSchemes(shots, "login-mfa")
	e.clock.Advance(30 * time.Second)
	p.do("type the code", chromedp.SendKeys(chromedp.ID("code"), e.oathCode(t, secret)))
	p.follow("the sign-in button", `//button[normalize-space(.)="Sign in"]`)
	if got := p.path(); got != "/dashboard" {
		p.fatalf("after the code the browser is on %s, want the dashboard", got)
	}

	// An approval after 15 minutes asks again, then goes through.
	p.open("/admin/name-corrections")
	p.see("Ahmad Rahimy", "احمد رحیمی", "as on my passport")
	p.screenshotsInBothSchemes(shots, "admin-name-corrections")
	e.clock.Advance(models.ConfirmationWindow + time.Minute)
	// The confirmation page answers 403: the action has not happened yet.
	p.do("click the approve button", chromedp.Click(`//button[normalize-space(.)="Approve and reissue"]`),
		chromedp.WaitVisible(chromedp.ID("current_password")))
	p.see("Confirm it is you", "more than 15 minutes ago")
	p.screenshotsInBothSchemes(shots, "confirm")
	p.do("type the password", chromedp.SendKeys(chromedp.ID("current_password"), testdb.Password))
	p.follow("the confirm button", `//button[normalize-space(.)="Confirm and continue"]`)
	if got := p.path(); got != "/certificates/"+code {
		p.fatalf("after confirming the browser is on %s, want the certificate", got)
	}
	p.see("احمد رحیمی", "Reissued on")
	p.screenshotsInBothSchemes(shots, "certificate-reissued")

	// The holder's side: the correction form, and the name a course home promises.
	h := b.person()
	h.open("/login")
	h.do("fill the login form", chromedp.SendKeys(chromedp.ID("email"), "ahmad.rahimy@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), "s3cret-passphrase"))
	h.follow("the login button", `//form//button[normalize-space(.)="Log in"]`)
	h.open("/certificates/" + code)
	h.do("open the correction form", chromedp.Click(chromedp.CSS("details.card summary")))
	h.see("Is your name wrong on this certificate?", "Name as it should be printed")
	h.screenshotsInBothSchemes(shots, "certificate-holder")
	newcomer := b.person()
	newcomer.open("/join/" + courseSlug)
	newcomer.fillJoinForm("Laila Noori", "laila@example.org", "s3cret-passphrase")
	newcomer.follow("the join button", `//form//button[normalize-space(.)="Join today"]`)
	newcomer.see("Your certificate will read: Laila Noori")
	newcomer.screenshotsInBothSchemes(shots, "course-home-name")
}

func writeShot(t *testing.T, dir, name string, png []byte) {
	t.Helper()
	if len(png) < 1000 || string(png[:8]) != string(browserPNGSignature) {
		t.Errorf("screenshot %s is not a real PNG (%d bytes)", name, len(png))
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Fatal(err)
	}
}
