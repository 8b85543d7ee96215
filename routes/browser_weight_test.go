package routes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Weight budgets, in bytes actually transferred with nothing cached: the
// reader, every other student page, and a saved week of the seeded course
// (its pages and the shell the service worker keeps).
const (
	readerBudget    = 40 * 1024
	pageBudget      = 30 * 1024
	savedWeekBudget = 100 * 1024
)

// transferMeter sums what a tab receives over the network, per URL, from
// CDP's Network.loadingFinished (encodedDataLength: headers and body as
// sent, compressed).
type transferMeter struct {
	mu       sync.Mutex
	urls     map[network.RequestID]string
	bytes    map[string]int64
	inFlight map[network.RequestID]bool
}

// coldMeter starts measuring the tab with the browser's cache disabled and
// its service worker bypassed: every byte comes over the network.
func (tb *browserTab) coldMeter() *transferMeter {
	tb.t.Helper()
	m := &transferMeter{urls: map[network.RequestID]string{}, bytes: map[string]int64{}, inFlight: map[network.RequestID]bool{}}
	if err := chromedp.Listen(tb.ctx, m.observe); err != nil {
		tb.fatalf("listen to the network: %v", err)
	}
	tb.do("disable the cache and the service worker", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, network.SetBypassServiceWorker, network.SetBypassServiceWorkerParams{Bypass: true})
		return err
	}))
	return m
}

func (m *transferMeter) observe(ev any) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		m.urls[ev.RequestID] = ev.Request.URL
		m.inFlight[ev.RequestID] = true
	case *network.EventLoadingFinished:
		m.bytes[m.urls[ev.RequestID]] += int64(ev.EncodedDataLength)
		delete(m.inFlight, ev.RequestID)
	case *network.EventLoadingFailed:
		delete(m.inFlight, ev.RequestID)
	}
}

// measure runs load and returns the bytes received meanwhile, once every
// request it started has finished, with the heaviest URLs for messages.
func (m *transferMeter) measure(tb *browserTab, load func()) (int64, string) {
	tb.t.Helper()
	m.mu.Lock()
	m.bytes, m.inFlight = map[string]int64{}, map[network.RequestID]bool{}
	m.mu.Unlock()
	load()
	// A request the browser starts for itself (the service worker's update
	// check) may never report its end to the tab; it is left out after 3 s.
	deadline := time.Now().Add(3 * time.Second)
	for {
		time.Sleep(100 * time.Millisecond)
		m.mu.Lock()
		var pending []string
		for id := range m.inFlight {
			pending = append(pending, m.urls[id])
		}
		m.mu.Unlock()
		if len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			tb.t.Logf("left out, still loading after 3 s: %v", pending)
			break
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var total int64
	parts := make([]string, 0, len(m.bytes))
	for u, n := range m.bytes {
		total += n
		parts = append(parts, fmt.Sprintf("%s %d", strings.TrimPrefix(u, tb.b.base), n))
	}
	sort.Strings(parts)
	return total, strings.Join(parts, ", ")
}

// openCold measures a page opened with nothing cached, against its budget.
func (tb *browserTab) openCold(m *transferMeter, path string, budget int64) {
	tb.t.Helper()
	total, detail := m.measure(tb, func() { tb.open(path) })
	tb.t.Logf("%s: %.1f KB cold (%s)", path, float64(total)/1024, detail)
	if total > budget {
		tb.t.Errorf("%s weighs %d bytes cold, over its budget of %d: %s", path, total, budget, detail)
	}
	if total < 1024 {
		tb.t.Errorf("%s: only %d bytes measured; the meter sees nothing", path, total)
	}
}

// The student pages stay light over a slow, costly link: measured from the
// bytes Chromium receives with its cache off, the reader is at most 40 KB,
// every other student page at most 30 KB, and week 1 saved for offline (its
// reading and check pages, and the shell the service worker keeps) at most
// 100 KB. Static files arrive compressed (brotli, which Chromium asks for).
func TestBrowserPageWeights(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	b := newChromeBrowser(t, e.serve())
	p := b.person()
	m := p.coldMeter()

	for _, path := range []string{"/", "/courses/" + courseSlug, brJoinPath, "/login", "/signup", "/verify",
		"/password/forgot", "/offline"} {
		p.openCold(m, path, pageBudget)
	}
	p.open(brJoinPath)
	p.fillJoinForm("Farid Ahmadi", "farid.ahmadi@example.org", brPassphrase)
	p.follow("the join form's submit button", `//form//button[normalize-space(.)="Join today"]`)
	for _, path := range []string{"/dashboard", brCourseHome, seededCheckPath, "/account"} {
		p.openCold(m, path, pageBudget)
	}
	p.openCold(m, brReaderPath, readerBudget)
	if enc := awaitJS[string](p, `fetch(document.querySelector('link[rel=stylesheet]').href, {cache: 'no-store'})
		.then(function (r) { return r.headers.get('Content-Encoding') || 'identity'; })`); enc != "br" {
		t.Errorf("the stylesheet came as %s, want br", enc)
	}

	// A saved week: what the phone downloads to read week 1 with no
	// network, the shell included.
	sw := e.client().get("/sw.js")
	shellList := swShell.FindStringSubmatch(sw.Body)
	if sw.Status != http.StatusOK || shellList == nil {
		t.Fatalf("sw.js = %d without a shell list", sw.Status)
	}
	var urls []string
	if err := json.Unmarshal([]byte(shellList[1]), &urls); err != nil {
		t.Fatal(err)
	}
	urls = append(urls, "/sw.js", brReaderPath, seededCheckPath)
	list, err := json.Marshal(urls)
	if err != nil {
		t.Fatal(err)
	}
	total, detail := m.measure(p, func() {
		awaitJS[bool](p, `(function (urls) {
			return urls.reduce(function (done, u) {
				return done.then(function () { return fetch(u, { credentials: 'same-origin', cache: 'no-store' }).then(function (r) { return r.blob(); }); });
			}, Promise.resolve()).then(function () { return true; });
		}(`+string(list)+`))`)
	})
	t.Logf("week 1 saved for offline, with the shell: %.1f KB (%s)", float64(total)/1024, detail)
	if total > savedWeekBudget {
		t.Errorf("saving week 1 transfers %d bytes, over the budget of %d: %s", total, savedWeekBudget, detail)
	}
}
