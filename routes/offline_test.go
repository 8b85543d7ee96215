package routes_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
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
	mustContain(t, home.Body, `<link rel="manifest" href="/manifest.webmanifest?lang=en">`, `<meta name="theme-color"`)
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
	for _, want := range []string{"/offline?lang=en", "/offline?lang=fa-AF", css[1], "/static/js/reader.", "/static/js/offline.", "/static/icons/icon-192."} {
		if !strings.Contains(listed, want) {
			t.Errorf("the shell %v lacks %s", shell, want)
		}
	}
	for _, u := range shell {
		if got := c.get(u); got.Status != http.StatusOK {
			t.Errorf("shell file %s = %d", u, got.Status)
		}
	}
	if !strings.Contains(res.Body, `var OFFLINE_PAGES = {"en":"/offline?lang=en","fa-AF":"/offline?lang=fa-AF"};`) ||
		!strings.Contains(res.Body, `var DEFAULT_LANGUAGE = "en";`) {
		t.Error("sw.js does not name the offline page of each language and the default language")
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

var metaOfflineSession = regexp.MustCompile(`<meta name="offline-session" content="([0-9a-f]{24})">`)

// readerSignIn is the name the seeded reader gives the client's sign-in,
// which its queued writes carry.
func (c *client) readerSignIn(t *testing.T) string {
	t.Helper()
	m := metaOfflineSession.FindStringSubmatch(c.get("/learn/" + courseSlug + "/readings/" + readingSlug).Body)
	if m == nil {
		t.Fatal("the reader names no sign-in for queued writes")
	}
	return m[1]
}

// queuedWrite replays a write as a device's queue does: with the sign-in it
// was queued under, the CSRF token, and JSON errors. writeID, when not
// empty, is the id the device gave the write.
func (c *client) queuedWrite(method, path, contentType, body, session string, writeID ...string) response {
	c.e.t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("X-CSRF-Token", c.csrf())
	req.Header.Set("X-Offline-Session", session)
	for _, id := range writeID {
		req.Header.Set("X-Offline-Write", id)
	}
	return c.do(req)
}

// Writes kept on a device name the sign-in they were made under; the server
// applies them under that sign-in only. Under a later sign-in of the same
// person, or anyone else's, they are refused with 409 session_ended and
// change nothing.
func TestQueuedWritesOfAnEndedSignInAreRefused(t *testing.T) {
	e := newEnv(t)
	farid := joinSeeded(t, e, "Farid Ahmadi")
	reader := "/learn/" + courseSlug + "/readings/" + readingSlug
	first := farid.readerSignIn(t)
	progress := func(percent int) string {
		return `{"course":"` + courseSlug + `","percent":` + strconv.Itoa(percent) + `,"position":"p-2","seconds":5}`
	}
	if res := farid.queuedWrite(http.MethodPut, progressURL, "application/json", progress(25), first); res.Status != http.StatusOK {
		t.Fatalf("a write queued under the current sign-in = %d %s", res.Status, res.Body)
	}

	// The same person signs in again (the first session ends), and a second
	// person signs in: the first sign-in's writes are refused for both.
	if res := farid.postForm("/logout", url.Values{}); res.Status != http.StatusSeeOther {
		t.Fatalf("logout = %d", res.Status)
	}
	if res := farid.postForm("/login", url.Values{"email": {"farid.ahmadi@example.org"}, "password": {"s3cret-passphrase"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("login again = %d", res.Status)
	}
	second := farid.readerSignIn(t)
	if second == first {
		t.Fatalf("sign-ins %s and %s: want a new name for the new sign-in", first, second)
	}
	zarghuna := joinSeeded(t, e, "Zarghuna Noori")
	checkForm := "q-1=1"
	for _, w := range []struct {
		who               *client
		method, path, ct  string
		body, description string
	}{
		{farid, http.MethodPut, progressURL, "application/json", progress(90), "progress, same person, later sign-in"},
		{farid, http.MethodPost, reader + "/complete", "application/x-www-form-urlencoded", "", "Mark as complete"},
		{farid, http.MethodPost, reader + "/check", "application/x-www-form-urlencoded", checkForm, "check answers"},
		{farid, http.MethodPost, "/api/v1/me/courses/" + courseSlug + "/readings/" + readingSlug + "/check/attempts",
			"application/json", `{"answers":{}}`, "check answers, JSON"},
		{zarghuna, http.MethodPut, progressURL, "application/json", progress(90), "progress, another person"},
		{zarghuna, http.MethodPost, reader + "/check", "application/x-www-form-urlencoded", checkForm, "check answers, another person"},
	} {
		res := w.who.queuedWrite(w.method, w.path, w.ct, w.body, first)
		if res.Status != http.StatusConflict || res.errorCode(t) != "session_ended" {
			t.Errorf("%s queued under the ended sign-in = %d %s, want 409 session_ended", w.description, res.Status, res.Body)
		}
	}
	attempts, completed, _ := browserCounts(t, e)
	var percent int
	if err := e.store.DB().Raw("SELECT MAX(percent) FROM reading_progress").Scan(&percent).Error; err != nil {
		t.Fatal(err)
	}
	if attempts != 0 || completed != 0 || percent != 25 {
		t.Errorf("refused writes changed something: %d attempts, %d completions, percent %d (want 0, 0, 25)", attempts, completed, percent)
	}
	// Under the sign-in it names, a queued write goes through.
	if res := farid.queuedWrite(http.MethodPut, progressURL, "application/json", progress(40), second); res.Status != http.StatusOK {
		t.Errorf("a write queued under the new sign-in = %d %s", res.Status, res.Body)
	}
	if anon := e.client().get("/"); strings.Contains(anon.Body, `name="offline-session"`) {
		t.Error("a signed-out page names a sign-in")
	}
}

// A queued write sent again, because its answer was lost on the way, is
// applied once: the server knows it by the id the device gave it.
func TestQueuedWriteSentTwiceIsAppliedOnce(t *testing.T) {
	e := newEnv(t)
	farid := joinSeeded(t, e, "Farid Ahmadi")
	reader := "/learn/" + courseSlug + "/readings/" + readingSlug
	session := farid.readerSignIn(t)
	answers := url.Values{}
	for _, q := range seededCheck(t, e).Questions {
		for _, o := range q.Options {
			if o.Correct {
				answers.Add("q-"+q.IDString(), strconv.FormatInt(o.ID, 10))
			}
		}
	}
	form := "application/x-www-form-urlencoded"
	first := farid.queuedWrite(http.MethodPost, reader+"/check", form, answers.Encode(), session, "9f1c2a7e-0b4d-4e55-8a61-3c2f0e9d7b10")
	if first.Status != http.StatusOK || !strings.Contains(first.Body, "100 % — passed") {
		t.Fatalf("the queued answers = %d, want 200 and the result page", first.Status)
	}
	again := farid.queuedWrite(http.MethodPost, reader+"/check", form, answers.Encode(), session, "9f1c2a7e-0b4d-4e55-8a61-3c2f0e9d7b10")
	if again.Status != http.StatusConflict || again.errorCode(t) != "already_applied" {
		t.Errorf("the same answers sent again = %d %s, want 409 already_applied", again.Status, again.Body)
	}
	if attempts, completed, _ := browserCounts(t, e); attempts != 1 || completed != 1 {
		t.Errorf("after the answers came twice: %d attempts, %d completions; want 1 and 1", attempts, completed)
	}
	if other := farid.queuedWrite(http.MethodPost, reader+"/check", form, answers.Encode(), session, "second-attempt"); other.Status != http.StatusOK {
		t.Errorf("another queued attempt = %d", other.Status)
	}
	if attempts, _, _ := browserCounts(t, e); attempts != 2 {
		t.Errorf("a second write with its own id made %d attempts in all, want 2", attempts)
	}
	for _, bad := range []string{"has spaces", "semi;colon", strings.Repeat("a", 65)} {
		res := farid.queuedWrite(http.MethodPut, progressURL, "application/json", `{"course":"`+courseSlug+`","percent":5,"position":"p-1","seconds":1}`, session, bad)
		if res.Status != http.StatusBadRequest || res.errorCode(t) != "bad_request" {
			t.Errorf("write id %q = %d %s, want 400 bad_request", bad, res.Status, res.Body)
		}
	}
}

// The API description holds the answers to replayed writes: the headers
// they carry, 409 session_ended and 409 already_applied.
func TestOpenAPIDescribesOfflineReplays(t *testing.T) {
	e := newEnv(t)
	spec := loadAPISpec(t, e)
	farid := joinSeeded(t, e, "Farid Ahmadi")
	session := farid.readerSignIn(t)
	replayed := func(session, id string) func(*http.Request) {
		return func(r *http.Request) {
			r.Header.Set("X-Offline-Session", session)
			r.Header.Set("X-Offline-Write", id)
		}
	}
	report := `{"course":"` + courseSlug + `","percent":30,"position":"p-3","seconds":20}`
	attempts := "/api/v1/me/courses/" + courseSlug + "/readings/" + readingSlug + "/check/attempts"
	answers := map[string][]string{}
	for _, q := range seededCheck(t, e).Questions {
		answers[q.IDString()] = []string{strconv.FormatInt(q.Options[0].ID, 10)}
	}
	body, err := json.Marshal(map[string]any{"answers": answers})
	if err != nil {
		t.Fatal(err)
	}
	attempt := string(body)
	for _, w := range []struct {
		method, path, body string
		edit               func(*http.Request)
		status             int
		code               string
	}{
		{http.MethodPut, progressURL, report, replayed(session, "report-1"), http.StatusOK, ""},
		{http.MethodPut, progressURL, report, replayed(session, "report-1"), http.StatusConflict, "already_applied"},
		{http.MethodPut, progressURL, report, replayed(strings.Repeat("0", 24), "report-2"), http.StatusConflict, "session_ended"},
		{http.MethodPost, attempts, attempt, replayed(session, "attempt-1"), http.StatusCreated, ""},
		{http.MethodPost, attempts, attempt, replayed(session, "attempt-1"), http.StatusConflict, "already_applied"},
		{http.MethodPost, attempts, attempt, replayed(strings.Repeat("0", 24), "attempt-2"), http.StatusConflict, "session_ended"},
	} {
		res := spec.call(farid, w.method, w.path, w.body, w.edit)
		if res.Status != w.status || (w.code != "" && res.errorCode(t) != w.code) {
			t.Errorf("%s %s = %d %s, want %d %s", w.method, w.path, res.Status, res.Body, w.status, w.code)
		}
	}
}

// Two tabs replaying one queue at once send the same writes together: each
// applies once, because the store records a write's id in the transaction
// that applies it, so the copy that loses waits and is refused.
func TestQueuedWriteSentTwiceAtOnceIsAppliedOnce(t *testing.T) {
	e := newEnv(t)
	farid := joinSeeded(t, e, "Farid Ahmadi")
	session := farid.readerSignIn(t)
	token := farid.csrf()
	var pairs []string
	for k, v := range farid.cookies {
		pairs = append(pairs, k+"="+v)
	}
	cookie := strings.Join(pairs, "; ")
	answers := map[string][]string{}
	for _, q := range seededCheck(t, e).Questions {
		answers[q.IDString()] = []string{strconv.FormatInt(q.Options[0].ID, 10)}
	}
	attempt, err := json.Marshal(map[string]any{"answers": answers})
	if err != nil {
		t.Fatal(err)
	}
	secondsRead := func() (seconds int) {
		t.Helper()
		if err := e.store.DB().Raw("SELECT COALESCE(SUM(seconds_read), 0) FROM reading_progress").Scan(&seconds).Error; err != nil {
			t.Fatalf("read seconds: %v", err)
		}
		return seconds
	}
	before := secondsRead()
	e.clock.Advance(2 * time.Minute) // the seconds a report adds are capped by the time since the last

	writes := []struct{ method, path, body, id string }{
		{http.MethodPut, progressURL, `{"course":"` + courseSlug + `","percent":30,"position":"p-3","seconds":30}`, "report-at-once"},
		{http.MethodPost, "/api/v1/me/courses/" + courseSlug + "/readings/" + readingSlug + "/check/attempts", string(attempt), "attempt-at-once"},
	}
	for _, w := range writes {
		const copies = 6
		statuses := make(chan int, copies)
		start := make(chan struct{})
		for range copies {
			go func() {
				req := httptest.NewRequest(w.method, w.path, strings.NewReader(w.body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Accept", "application/json")
				req.Header.Set("Cookie", cookie)
				req.Header.Set("X-CSRF-Token", token)
				req.Header.Set("X-Offline-Session", session)
				req.Header.Set("X-Offline-Write", w.id)
				<-start
				res, err := e.app.Test(req, -1)
				if err != nil {
					statuses <- 0
					return
				}
				_ = res.Body.Close()
				statuses <- res.StatusCode
			}()
		}
		close(start)
		applied, refused := 0, 0
		for range copies {
			switch status := <-statuses; status {
			case http.StatusOK, http.StatusCreated:
				applied++
			case http.StatusConflict:
				refused++
			default:
				t.Errorf("%s %s sent at once answered %d", w.method, w.path, status)
			}
		}
		if applied != 1 || refused != copies-1 {
			t.Errorf("%s sent %d times at once: %d applied, %d refused; want 1 and %d", w.id, copies, applied, refused, copies-1)
		}
	}
	if got := secondsRead() - before; got != 30 {
		t.Errorf("the report's 30 seconds were counted as %d", got)
	}
	if attempts, _, _ := browserCounts(t, e); attempts != 1 {
		t.Errorf("the answers sent at once made %d attempts, want 1", attempts)
	}
}
