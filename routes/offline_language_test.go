package routes_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"courseportal/views/i18n"
)

// manifestOf reads a web app manifest's fields that follow the language,
// and those that must not.
type manifestOf struct {
	Lang        string `json:"lang"`
	Dir         string `json:"dir"`
	Name        string `json:"name"`
	ShortName   string `json:"short_name"`
	Description string `json:"description"`
	ID          string `json:"id"`
	StartURL    string `json:"start_url"`
	Icons       []struct {
		Src string `json:"src"`
	} `json:"icons"`
}

func readManifest(t *testing.T, res response) manifestOf {
	t.Helper()
	if res.Status != http.StatusOK || res.Header.Get("Content-Type") != "application/manifest+json" {
		t.Fatalf("manifest = %d %s", res.Status, res.Header.Get("Content-Type"))
	}
	var m manifestOf
	if err := json.Unmarshal([]byte(res.Body), &m); err != nil {
		t.Fatalf("manifest is not JSON: %v\n%s", err, res.Body)
	}
	return m
}

// The manifest speaks each language a person may choose, its name and
// description from that language's catalogue, with lang and dir; the app's
// id, start page and icons stay the same. With ?lang= the answer depends on
// the address alone; without, it follows the cookie and Accept-Language and
// says so in Vary. Fetching it never changes the visitor's choice.
func TestManifestInEachLanguage(t *testing.T) {
	e := newEnv(t)
	want := map[string]struct{ dir, name, description string }{
		"en":    {"ltr", "courseportal — online courses", "Read your course week by week, also without a connection."},
		"fa-AF": {"rtl", "courseportal — دوره\u200cهای آنلاین", "دورهٔ خود را هفته به هفته بخوانید، بدون اتصال هم."},
	}
	langs := i18n.Shipped().Languages()
	if len(langs) != len(want) {
		t.Fatalf("%d languages offered, the test knows %d", len(langs), len(want))
	}
	var first manifestOf
	for i, loc := range langs {
		c := e.client()
		res := c.get("/manifest.webmanifest?lang=" + loc.Code())
		m := readManifest(t, res)
		w := want[loc.Code()]
		if m.Lang != loc.Code() || m.Dir != w.dir || m.Name != w.name || m.Description != w.description || m.ShortName != "courseportal" {
			t.Errorf("manifest in %s = %+v, want lang %s dir %s name %q description %q", loc.Code(), m, loc.Code(), w.dir, w.name, w.description)
		}
		if m.Name != loc.T("manifest.name") || m.ShortName != loc.T("manifest.short_name") || m.Description != loc.T("manifest.summary") {
			t.Errorf("manifest in %s does not take its words from the catalogue: %+v", loc.Code(), m)
		}
		if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
			t.Errorf("manifest in %s: Cache-Control = %q, want no-cache", loc.Code(), cc)
		}
		if vary := res.Header.Get("Vary"); strings.Contains(vary, "Cookie") || strings.Contains(vary, "Accept-Language") {
			t.Errorf("manifest?lang=%s: Vary = %q; the address alone decides its language", loc.Code(), vary)
		}
		if len(c.cookies) != 0 {
			t.Errorf("manifest?lang=%s set cookies %v", loc.Code(), c.cookies)
		}
		if i == 0 {
			first = m
		} else if m.ID != first.ID || m.StartURL != first.StartURL || len(m.Icons) != len(first.Icons) || m.Icons[0].Src != first.Icons[0].Src {
			t.Errorf("manifest in %s is another app: %+v, in %s %+v", loc.Code(), m, langs[0].Code(), first)
		}
	}

	// Without ?lang=: the visitor's cookie, else Accept-Language.
	c := e.client()
	for _, tc := range []struct{ cookie, accept, lang string }{
		{"", "fa-AF,fa;q=0.9", "fa-AF"},
		{"", "de-DE", "en"},
		{"fa-AF", "en", "fa-AF"},
		{"en", "fa-AF", "en"},
	} {
		c.cookies = map[string]string{}
		if tc.cookie != "" {
			c.cookies["lang"] = tc.cookie
		}
		res := c.getWith("/manifest.webmanifest", map[string]string{"Accept-Language": tc.accept})
		if m := readManifest(t, res); m.Lang != tc.lang {
			t.Errorf("manifest with cookie %q and Accept-Language %q is in %s, want %s", tc.cookie, tc.accept, m.Lang, tc.lang)
		}
		if vary := res.Header.Get("Vary"); !strings.Contains(vary, "Cookie") || !strings.Contains(vary, "Accept-Language") {
			t.Errorf("manifest without ?lang=: Vary = %q, want Cookie and Accept-Language", vary)
		}
	}
	// A language not offered is not an error: the visitor's is used.
	c.cookies = map[string]string{"lang": "fa-AF"}
	if m := readManifest(t, c.get("/manifest.webmanifest?lang=xx-nope")); m.Lang != "fa-AF" {
		t.Errorf("manifest?lang=xx-nope with a Dari cookie is in %s", m.Lang)
	}
	if c.cookies["lang"] != "fa-AF" {
		t.Errorf("the manifest changed the visitor's language cookie to %q", c.cookies["lang"])
	}
	if m := readManifest(t, c.get("/manifest.webmanifest?lang=en")); m.Lang != "en" || c.cookies["lang"] != "fa-AF" {
		t.Errorf("manifest?lang=en is in %s and left the cookie %q, want en and fa-AF kept", m.Lang, c.cookies["lang"])
	}
}

var manifestLink = regexp.MustCompile(`<link rel="manifest" href="([^"]+)">`)

// Pages link the manifest in their own language, so that a browser's cache
// never hands one language's manifest to a page of another: a visitor's
// page by Accept-Language or ?lang=, a signed-in person's by their account.
func TestPagesLinkTheManifestInTheirLanguage(t *testing.T) {
	e := newEnv(t)
	link := func(res response) string {
		t.Helper()
		m := manifestLink.FindStringSubmatch(res.Body)
		if m == nil {
			t.Fatalf("page (%d) links no manifest", res.Status)
		}
		return m[1]
	}
	visitor := e.client()
	if got := link(visitor.get("/")); got != "/manifest.webmanifest?lang=en" {
		t.Errorf("English home links the manifest as %s", got)
	}
	if got := link(visitor.getWith("/login", map[string]string{"Accept-Language": "fa-AF"})); got != "/manifest.webmanifest?lang=fa-AF" {
		t.Errorf("Dari login page links the manifest as %s", got)
	}
	student := joinSeeded(t, e, "Farid Ahmadi")
	if res := student.postForm("/language", url.Values{"lang": {"fa-AF"}, "next": {"/dashboard"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("choosing Dari = %d", res.Status)
	}
	delete(student.cookies, "lang") // the account's choice alone
	dashboard := student.get("/dashboard")
	mustContain(t, dashboard.Body, dariPage)
	if got := link(dashboard); got != "/manifest.webmanifest?lang=fa-AF" {
		t.Errorf("a Dari account's dashboard links the manifest as %s", got)
	}
	if m := readManifest(t, student.get(link(dashboard))); m.Lang != "fa-AF" || m.Dir != "rtl" {
		t.Errorf("the dashboard's manifest is %s %s, want fa-AF rtl", m.Lang, m.Dir)
	}
}

// In the pseudo-locale every word of the manifest is wrapped: none bypasses
// the catalogue.
func TestManifestSpeaksOnlyThroughTheCatalogue(t *testing.T) {
	e := newPseudoEnv(t)
	m := readManifest(t, e.client().get("/manifest.webmanifest?lang="+i18n.Pseudo))
	for field, v := range map[string]string{"name": m.Name, "short_name": m.ShortName, "description": m.Description} {
		if !strings.HasPrefix(v, "⟦") || !strings.HasSuffix(v, "⟧") {
			t.Errorf("manifest %s = %q bypasses the catalogue", field, v)
		}
	}
}

// The worker keeps the offline page once per language: each answers in its
// language and direction, for everyone, and fetching them all (as the worker
// does at install) leaves the visitor's choice alone. Pages say their
// language in Content-Language, from which the worker picks the offline
// page to show.
func TestOfflinePageInEachLanguage(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Farid Ahmadi")
	c.cookies["lang"] = "en"
	for _, loc := range i18n.Shipped().Languages() {
		res := c.get("/offline?lang=" + loc.Code())
		mustContain(t, res.Body, `<html lang="`+loc.Code()+`" dir="`+loc.Dir()+`">`, loc.T("offline.title"), loc.T("offline.text"),
			`<link rel="manifest" href="/manifest.webmanifest?lang=`+loc.Code()+`">`)
		if cl := res.Header.Get("Content-Language"); cl != loc.Code() {
			t.Errorf("offline page in %s: Content-Language = %q", loc.Code(), cl)
		}
		if strings.Contains(res.Body, "Farid") {
			t.Errorf("offline page in %s names the signed-in person", loc.Code())
		}
	}
	if c.cookies["lang"] != "en" {
		t.Errorf("fetching the offline pages changed the language cookie to %q", c.cookies["lang"])
	}
	if got := c.get("/dashboard").Header.Get("Content-Language"); got != "en" {
		t.Errorf("English dashboard: Content-Language = %q", got)
	}
	if res := c.postForm("/language", url.Values{"lang": {"fa-AF"}, "next": {"/"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("choosing Dari = %d", res.Status)
	}
	delete(c.cookies, "lang") // the account's choice alone
	for _, tc := range []struct{ path, lang string }{
		{"/", "fa-AF"},
		{"/learn/" + courseSlug, "fa-AF"},
		{"/learn/" + courseSlug + "/readings/" + readingSlug, "fa-AF"},
		{"/no-such-page", "fa-AF"},
		{"/dashboard?lang=en", "en"},
	} {
		if got := c.get(tc.path).Header.Get("Content-Language"); got != tc.lang {
			t.Errorf("%s: Content-Language = %q, want %s", tc.path, got, tc.lang)
		}
	}
}
