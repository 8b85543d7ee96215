package routes_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// The reader page, served after its first view in one statement before the
// session and language middleware (on PostgreSQL), speaks the language the
// other pages would: the browser's, then the account's saved choice. Its
// parts rendered once per reading version are kept per language, so a Dari
// view never leaves Dari in an English one.
func TestReaderSpeaksTheChosenLanguage(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Mina Reader")
	mustReadAgain(t, c)
	english := `<html lang="en" dir="ltr">`
	read := func(accept string) string {
		t.Helper()
		res := c.getWith(readerPath, map[string]string{"Accept-Language": accept})
		if res.Status != http.StatusOK {
			t.Fatalf("reader (Accept-Language %q) = %d", accept, res.Status)
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept-Language") {
			t.Errorf("reader (Accept-Language %q): Vary = %q", accept, res.Header.Get("Vary"))
		}
		return res.Body
	}
	if body := read("fa-AF"); !strings.Contains(body, dariPage) || !strings.Contains(body, `aria-label="مسیر صفحه"`) {
		t.Error("the reader does not follow a Dari browser")
	}
	if body := read("en"); !strings.Contains(body, english) || !strings.Contains(body, `aria-label="Breadcrumb"`) ||
		strings.Contains(body, "مسیر صفحه") {
		t.Error("an English view after a Dari one is not all English")
	}
	if res := c.postForm("/language", url.Values{"lang": {"fa-AF"}, "next": {readerPath}}); res.Status != http.StatusSeeOther {
		t.Fatalf("POST /language = %d", res.Status)
	}
	// The account's choice wins over the browser's, as on every page.
	delete(c.cookies, "lang")
	if body := read("en"); !strings.Contains(body, dariPage) || !strings.Contains(body, `aria-label="مسیر صفحه"`) {
		t.Error("the reader does not follow the account's saved language")
	}
	// ?lang= wins over the account, for the view that carries it.
	if res := c.get(readerPath + "?lang=en"); res.Status != http.StatusOK || !strings.Contains(res.Body, english) {
		t.Errorf("reader with ?lang=en = %d, not English", res.Status)
	}
}
