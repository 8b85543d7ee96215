package routes_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The manifest makes the portal installable: its fields, and icons that exist.
func TestManifest(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	res := c.get("/manifest.webmanifest")
	if res.Status != http.StatusOK {
		t.Fatalf("manifest = %d", res.Status)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/manifest+json" {
		t.Errorf("manifest Content-Type = %q", ct)
	}
	var m struct {
		Name, ShortName, StartURL, Scope, Display string
		ThemeColor, BackgroundColor               string
		Icons                                     []struct{ Src, Sizes, Type string }
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.Body), &raw); err != nil {
		t.Fatalf("manifest is not JSON: %v", err)
	}
	for field, dst := range map[string]any{"name": &m.Name, "short_name": &m.ShortName, "start_url": &m.StartURL,
		"scope": &m.Scope, "display": &m.Display, "theme_color": &m.ThemeColor,
		"background_color": &m.BackgroundColor, "icons": &m.Icons} {
		if err := json.Unmarshal(raw[field], dst); err != nil {
			t.Errorf("manifest field %s: %v", field, err)
		}
	}
	if m.StartURL != "/dashboard" || m.Scope != "/" || m.Display != "standalone" || m.ShortName == "" || m.Name == "" {
		t.Errorf("manifest = %+v", m)
	}
	if m.ThemeColor != "#27357e" || m.BackgroundColor != "#f6f4ef" {
		t.Errorf("manifest colours %s/%s, want the stylesheet's primary and background", m.ThemeColor, m.BackgroundColor)
	}
	sizes := map[string]bool{}
	for _, icon := range m.Icons {
		got := c.get(icon.Src)
		if got.Status != http.StatusOK || got.Header.Get("Content-Type") != icon.Type {
			t.Errorf("icon %s = %d %s, want 200 %s", icon.Src, got.Status, got.Header.Get("Content-Type"), icon.Type)
		}
		sizes[icon.Sizes] = true
	}
	for _, want := range []string{"any", "192x192", "512x512"} {
		if !sizes[want] {
			t.Errorf("no %s icon in %+v", want, m.Icons)
		}
	}
	home := c.get("/")
	mustContain(t, home.Body, `<link rel="manifest" href="/manifest.webmanifest">`, `<meta name="theme-color"`)
}

var swShell = regexp.MustCompile(`var SHELL = (\[.*\]);`)

// The service worker is served from the root, revalidated on every visit,
// and lists the current fingerprinted shell files, each of which exists.
func TestServiceWorkerListsTheCurrentShell(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	res := c.get("/sw.js")
	if res.Status != http.StatusOK {
		t.Fatalf("sw.js = %d", res.Status)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("sw.js Cache-Control = %q, want no-cache", cc)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/javascript") {
		t.Errorf("sw.js Content-Type = %q", ct)
	}
	m := swShell.FindStringSubmatch(res.Body)
	if m == nil {
		t.Fatalf("sw.js has no rendered shell list:\n%s", res.Body)
	}
	var shell []string
	if err := json.Unmarshal([]byte(m[1]), &shell); err != nil {
		t.Fatalf("shell list %s: %v", m[1], err)
	}
	home := c.get("/")
	css := regexp.MustCompile(`href="(/static/css/app\.[0-9a-f]+\.css)"`).FindStringSubmatch(home.Body)
	if css == nil {
		t.Fatal("the home page links no stylesheet")
	}
	listed := strings.Join(shell, " ")
	for _, want := range []string{"/offline", css[1], "/static/js/reader.", "/static/js/offline.", "/static/icons/icon-192."} {
		if !strings.Contains(listed, want) {
			t.Errorf("the shell %v lacks %s", shell, want)
		}
	}
	for _, u := range shell {
		if got := c.get(u); got.Status != http.StatusOK {
			t.Errorf("shell file %s = %d", u, got.Status)
		}
	}
	if strings.Contains(res.Body, "/*{{") {
		t.Error("sw.js still holds template markers")
	}
}

// The offline page is the same for everyone and may be kept by the worker.
func TestOfflinePage(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Farid Ahmadi")
	res := c.get("/offline")
	if res.Status != http.StatusOK {
		t.Fatalf("offline page = %d", res.Status)
	}
	if cc := res.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("offline page Cache-Control = %q, want no-cache", cc)
	}
	mustContain(t, res.Body, "You are offline", `id="offline-page"`)
	if strings.Contains(res.Body, "Farid") || strings.Contains(res.Body, `name="offline-key"`) {
		t.Error("the offline page names the signed-in person; the device keeps one copy for everyone")
	}
}

// The course home offers each open week for saving with its readings' URLs;
// the reader page is the only page that may be kept; other pages stay no-store.
func TestSaveForOfflineMarkup(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Farid Ahmadi")
	home := c.get("/learn/" + courseSlug)
	reader := "/learn/" + courseSlug + "/readings/" + readingSlug
	mustContain(t, home.Body, `data-offline-week="1"`, `data-offline-urls="`+reader+`"`, "Save for offline",
		`<meta name="offline-key" content="`)
	if strings.Count(home.Body, "data-offline-week=") != 1 {
		t.Errorf("%d weeks offered for saving, want 1 (the only open week with a reading)", strings.Count(home.Body, "data-offline-week="))
	}
	if cc := home.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("course home Cache-Control = %q, want no-store", cc)
	}
	page := c.get(reader)
	if cc := page.Header.Get("Cache-Control"); page.Status != http.StatusOK || cc != "private, no-cache" {
		t.Errorf("reader = %d with Cache-Control %q, want 200 private, no-cache", page.Status, cc)
	}
	other := joinSeeded(t, e, "Zarghuna Noori")
	key := regexp.MustCompile(`<meta name="offline-key" content="([0-9a-f]{16})">`)
	a, b := key.FindStringSubmatch(home.Body), key.FindStringSubmatch(other.get("/learn/"+courseSlug).Body)
	if a == nil || b == nil || a[1] == b[1] {
		t.Errorf("offline keys %v and %v: want one per person", a, b)
	}
	if anon := e.client().get("/"); strings.Contains(anon.Body, `name="offline-key"`) {
		t.Error("a signed-out page carries an offline key")
	}
}

// Signing out tells the browser to drop the site's caches and storage.
func TestLogoutClearsSiteData(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Farid Ahmadi")
	res := c.postForm("/logout", url.Values{})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("logout = %d", res.Status)
	}
	if got := res.Header.Get("Clear-Site-Data"); got != `"cache", "storage"` {
		t.Errorf("logout Clear-Site-Data = %q", got)
	}
}
