package routes_test

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// brOfflineLanguage is the language of the offline page the service worker
// would show now (its copy at /offline in the shell cache), "" without one.
const brOfflineLanguage = `caches.keys().then(function (names) {
	var shell = names.filter(function (n) { return n.indexOf('courseportal-shell-') === 0; });
	return shell.length ? caches.open(shell[0]).then(function (c) { return c.match('/offline'); }) : null;
}).then(function (r) { return r ? r.headers.get('Content-Language') || '' : ''; })`

// waitForOfflineLanguage waits until the worker's offline page is in lang:
// it is switched just after the page that shows the new language arrives.
func (tb *browserTab) waitForOfflineLanguage(lang string) {
	tb.t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; {
		got := awaitJS[string](tb, brOfflineLanguage)
		if got == lang {
			return
		}
		if time.Now().After(deadline) {
			tb.fatalf("the service worker's offline page is in %q, want %s", got, lang)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// expectOfflinePage checks the page is the worker's offline page in a
// language and direction.
func (tb *browserTab) expectOfflinePage(lang, dir, title string) {
	tb.t.Helper()
	if got, gotDir := tb.attr("html", "lang"), tb.attr("html", "dir"); got != lang || gotDir != dir {
		tb.fatalf(`the offline page is <html lang=%q dir=%q>, want lang=%q dir=%q`, got, gotDir, lang, dir)
	}
	if n := browserEval[int](tb, `document.querySelectorAll('#offline-page').length`); n != 1 {
		tb.fatalf("%s is not the offline page", tb.path())
	}
	tb.see(title)
}

// The offline page speaks the language the person is using now, with no
// network: a visitor's first page in Dari (which the worker did not serve)
// installs the worker and tells it, and an unsaved page offline gets the
// Dari offline page, right to left. A student who joins in English and
// switches to Dari in the footer gets the Dari one offline; back online and
// switched to English, the English one.
func TestBrowserOfflinePageFollowsTheLanguage(t *testing.T) {
	t.Parallel()
	_, p, cable := newOfflinePerson(t)
	shots := browserScreenshotDir(t)
	const dariTitle, englishTitle = "شما آفلاین هستید", "You are offline"

	p.open("/?lang=fa-AF")
	p.waitFor("the service worker to control the page", `navigator.serviceWorker.controller !== null`)
	p.waitForOfflineLanguage("fa-AF")
	p.setNetwork(cable, false)
	p.open("/login")
	p.expectOfflinePage("fa-AF", "rtl", dariTitle)
	p.expectRightToLeft()
	p.dontSee(englishTitle)
	p.screenshots(shots, "offline-page-dari")
	p.setNetwork(cable, true)

	p.open("/?lang=en")
	p.open(brJoinPath)
	p.fillJoinForm("Farid Ahmadi", "farid.ahmadi@example.org", brPassphrase)
	p.follow("the join form's submit button", `//form//button[normalize-space(.)="Join today"]`)
	p.waitForOfflineLanguage("en")
	p.setNetwork(cable, false)
	p.open("/dashboard")
	p.expectOfflinePage("en", "ltr", englishTitle)
	p.setNetwork(cable, true)

	p.open(brCourseHome)
	p.chooseLanguageThenGoOffline(cable, "fa-AF", "/dashboard")
	p.expectOfflinePage("fa-AF", "rtl", dariTitle)
	p.dontSee(englishTitle)

	p.setNetwork(cable, true)
	p.open("/dashboard")
	p.chooseLanguageThenGoOffline(cable, "en", "/account")
	p.expectOfflinePage("en", "ltr", englishTitle)
	p.dontSee(dariTitle)
	p.screenshots(shots, "offline-page-english")
}

// chooseLanguageThenGoOffline switches the interface with the footer's
// selector, loses the network and opens a page that is not saved.
func (tb *browserTab) chooseLanguageThenGoOffline(cable *switchableListener, code, path string) {
	tb.t.Helper()
	tb.do("choose "+code+" in the footer", chromedp.SetValue(chromedp.ID("language-choice"), code))
	tb.follow("the language selector's button", `//form[@action="/language"]//button[@type="submit"]`)
	if lang := tb.attr("html", "lang"); lang != code {
		tb.fatalf("after choosing %s the page is in %q", code, lang)
	}
	tb.waitForOfflineLanguage(code)
	tb.setNetwork(cable, false)
	tb.open(path)
}
