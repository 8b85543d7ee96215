package routes_test

import (
	"fmt"
	"testing"

	"courseportal/models"

	"github.com/chromedp/chromedp"
)

// A person who forgot their password is back in: "Forgot your password?" on
// the login page, the link read from a real SMTP server, a new password,
// and they are signed in, on a phone and on a laptop.
func TestBrowserForgotPasswordBackIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	mail := e.smtp(t)
	b := newChromeBrowser(t, e.serve())
	shots := browserScreenshotDir(t)
	for _, size := range [][2]int64{{browserPhoneWidth, browserPhoneHeight}, {browserLaptopWidth, browserLaptopHeight}} {
		email := fmt.Sprintf("forgetful.%d@example.org", size[0])
		if _, err := e.store.Register(t.Context(), models.NewAccount{FullName: "Forgetful Student", Email: email,
			Password: "lost passphrase"}, "http://portal.test"); err != nil {
			t.Fatal(err)
		}
		mail.deliver() // the welcome mail
		p := b.person()
		p.setViewport(size[0], size[1])
		// Screenshots at both widths once, on the phone run; the laptop run
		// walks the same pages without them, to stay within the time budget.
		shoot := func(name string) {
			if size[0] == browserPhoneWidth {
				p.screenshots(shots, name)
				p.setViewport(size[0], size[1])
			}
		}
		p.open("/login")
		p.follow(`"Forgot your password?"`, `//a[normalize-space(.)="Forgot your password?"]`)
		p.see("Reset your password", "Email address")
		shoot("1-forgot")
		p.do("type the address", chromedp.SendKeys(chromedp.ID("email"), email))
		p.follow("the send button", `//form//button[normalize-space(.)="Send me a reset link"]`)
		p.see("Check your inbox", email)
		shoot("2-sent")

		link := mail.linkTo(email, "Reset your password")
		p.open(link)
		p.see("Choose a new password", email)
		shoot("3-reset")
		p.do("type the new password", chromedp.SendKeys(chromedp.ID("password"), "found passphrase"))
		p.follow("the set-password button", `//form//button[normalize-space(.)="Set password and sign in"]`)
		if got := p.path(); got != "/dashboard" {
			p.fatalf("after the reset the browser is on %s, want /dashboard", got)
		}
		p.see("Your new password is set", "My courses", "Forgetful Student", "Log out")
		p.dontSee("Log in")
		shoot("4-signed-in")
	}
}
