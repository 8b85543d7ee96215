package routes_test

import (
	"context"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/serviceworker"
	"github.com/chromedp/chromedp"
)

// switchableListener lets a test pull the network cable: while it is down,
// every open connection is closed and new ones are closed on arrival, so the
// browser (and its service worker) gets network errors, as on a train.
type switchableListener struct {
	net.Listener
	mu    sync.Mutex
	down  bool
	conns map[net.Conn]struct{}
}

type switchableConn struct {
	net.Conn
	l *switchableListener
}

func (c *switchableConn) Close() error {
	c.l.mu.Lock()
	delete(c.l.conns, c.Conn)
	c.l.mu.Unlock()
	return c.Conn.Close()
}

func (l *switchableListener) Accept() (net.Conn, error) {
	for {
		conn, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		l.mu.Lock()
		if l.down {
			l.mu.Unlock()
			_ = conn.Close()
			continue
		}
		l.conns[conn] = struct{}{}
		l.mu.Unlock()
		return &switchableConn{Conn: conn, l: l}, nil
	}
}

// setOnline connects or disconnects the server.
func (l *switchableListener) setOnline(online bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.down = !online
	if !online {
		for conn := range l.conns {
			_ = conn.Close()
			delete(l.conns, conn)
		}
	}
}

// serveSwitchable starts the app behind a listener the test can disconnect.
func (e *env) serveSwitchable() (string, *switchableListener) {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	sl := &switchableListener{Listener: ln, conns: map[net.Conn]struct{}{}}
	go func() { _ = e.app.Listener(sl) }()
	e.t.Cleanup(func() { _ = e.app.Shutdown() })
	return "http://" + ln.Addr().String(), sl
}

// newOfflinePerson starts the app behind a cable the test can pull and
// a browser tab on it.
func newOfflinePerson(t *testing.T) (*env, *browserTab, *switchableListener) {
	t.Helper()
	e := newEnv(t)
	base, cable := e.serveSwitchable()
	return e, newChromeBrowser(t, base).person(), cable
}

// setNetwork takes the phone off the network or puts it back: the server
// stops answering (the cable), and Chromium reports the change to the page
// and its service worker (navigator.onLine, the online event; CDP
// Network.emulateNetworkConditionsByRule and Network.overrideNetworkState,
// which replace the deprecated Network.emulateNetworkConditions).
func (tb *browserTab) setNetwork(cable *switchableListener, online bool) {
	tb.t.Helper()
	if online {
		cable.setOnline(true)
	}
	offlineWorker := !online
	tb.do("set the network", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		if _, err := cdp.Call(ctx, t, network.Enable, network.EnableParams{}); err != nil {
			return err
		}
		if _, err := cdp.Call(ctx, t, network.EmulateNetworkConditionsByRule, network.EmulateNetworkConditionsByRuleParams{
			EmulateOfflineServiceWorker: &offlineWorker,
			MatchedNetworkConditions:    []*network.Conditions{{Offline: !online, DownloadThroughput: -1, UploadThroughput: -1}},
		}); err != nil {
			return err
		}
		_, err := cdp.Call(ctx, t, network.OverrideNetworkState, network.OverrideNetworkStateParams{
			Offline: !online, DownloadThroughput: -1, UploadThroughput: -1})
		return err
	}))
	if !online {
		cable.setOnline(false)
	}
}

// dispatchSync fires the service worker's Background Sync event, as the
// browser does when the network returns (CDP ServiceWorker.dispatchSyncEvent).
func (tb *browserTab) dispatchSync(tag string) {
	tb.t.Helper()
	registrations := make(chan serviceworker.RegistrationID, 8)
	listen, stop := context.WithCancel(tb.ctx)
	defer stop()
	if err := chromedp.Listen(listen, func(ev any) {
		if up, ok := ev.(*serviceworker.EventWorkerRegistrationUpdated); ok {
			for _, r := range up.Registrations {
				if !r.IsDeleted && r.ScopeURL == tb.b.base+"/" {
					select {
					case registrations <- r.RegistrationID:
					default:
					}
				}
			}
		}
	}); err != nil {
		tb.fatalf("listen to service workers: %v", err)
	}
	tb.do("watch the service workers", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, serviceworker.Enable, cdp.Empty{})
		return err
	}))
	var id serviceworker.RegistrationID
	select {
	case id = <-registrations:
	case <-time.After(10 * time.Second):
		tb.fatalf("no service worker registration for %s/", tb.b.base)
	}
	tb.do("dispatch "+tag, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, serviceworker.DispatchSyncEvent, serviceworker.DispatchSyncEventParams{
			Origin: tb.b.base, RegistrationID: id, Tag: tag})
		return err
	}))
}

// waitFor polls a JavaScript condition in the page until it holds.
func (tb *browserTab) waitFor(what, condition string) {
	tb.t.Helper()
	if _, err := chromedp.Run(tb.ctx, chromedp.Poll[bool](condition, chromedp.WithPollingInterval(50*time.Millisecond),
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		tb.fatalf("waiting for %s (%s): %v", what, condition, err)
	}
}

// awaitJS evaluates an expression that returns a promise and gives its value.
func awaitJS[T any](tb *browserTab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

const (
	brSavedCaches = `caches.keys().then(function (names) {
		return names.filter(function (n) { return n.indexOf('courseportal-saved-') === 0; }).length; })`
	brPortalDatabases = `indexedDB.databases().then(function (dbs) {
		return dbs.filter(function (d) { return d.name.indexOf('courseportal-') === 0; }).length; })`
	// brCachedPaths lists every URL path kept in any of the site's caches.
	brCachedPaths = `caches.keys().then(function (names) {
		return Promise.all(names.map(function (n) { return caches.open(n).then(function (c) { return c.keys(); }); }));
	}).then(function (lists) {
		return [].concat.apply([], lists).map(function (r) { return new URL(r.url).pathname; }).sort();
	})`
	brQueued = `courseportalQueue.count(document.querySelector('meta[name="offline-key"]').content)`
)

// browserCounts reads how often the student answered the check and whether
// the reading is complete, straight from the database.
func browserCounts(t *testing.T, e *env) (attempts int64, completed int64, furthest int) {
	t.Helper()
	if err := e.store.DB().Raw("SELECT COUNT(*) FROM check_attempts").Scan(&attempts).Error; err != nil {
		t.Fatalf("count attempts: %v", err)
	}
	if err := e.store.DB().Raw("SELECT COUNT(*) FROM reading_progress WHERE completed_at IS NOT NULL").Scan(&completed).Error; err != nil {
		t.Fatalf("count completions: %v", err)
	}
	if err := e.store.DB().Raw("SELECT COALESCE(MAX(furthest), 0) FROM reading_progress").Scan(&furthest).Error; err != nil {
		t.Fatalf("read furthest: %v", err)
	}
	return attempts, completed, furthest
}

// A student saves week 1 on a phone, loses the network, reads the saved
// reading and answers its knowledge check with no network; back online, the
// server gets the progress and the answers once. A page that was not saved
// gets the offline page. Signing out leaves nothing of theirs, and the next
// person on the same browser finds nothing saved or queued.
func TestBrowserSaveWeekReadOfflineAndSignOut(t *testing.T) {
	t.Parallel()
	e, p, cable := newOfflinePerson(t)
	shots := browserScreenshotDir(t)
	check := seededCheck(t, e)

	p.open(brJoinPath)
	p.fillJoinForm("Farid Ahmadi", "farid.ahmadi@example.org", brPassphrase)
	p.follow("the join form's submit button", `//form//button[normalize-space(.)="Join today"]`)
	if got := p.path(); got != brCourseHome {
		p.fatalf("after joining the browser is on %s, want %s", got, brCourseHome)
	}
	p.waitFor("the service worker to control the page", `navigator.serviceWorker.controller !== null`)
	p.waitFor("the Save for offline controls", `!document.getElementById('offline-week-1').hidden`)
	p.do("save week 1", chromedp.Click(`#offline-week-1 [data-offline-save]`))
	p.waitFor("week 1 to be saved", `document.getElementById('offline-week-1').getAttribute('data-saved') === 'true'`)
	p.see("Saved for offline reading ·", "KB", "Remove")
	if n := awaitJS[int](p, brSavedCaches); n != 1 {
		t.Errorf("%d saved caches after saving week 1, want 1", n)
	}
	p.screenshotsInBothSchemes(shots, "offline-course-home-saved")

	// No network: the saved reading opens from the device, and reading it
	// is recorded on the device.
	p.setNetwork(cable, false)
	p.open(brReaderPath)
	p.see("Source: The Kootneeti")
	if n := browserEval[int](p, `document.querySelectorAll('#reading p[id^="p-"]').length`); n != 8 {
		t.Errorf("the saved reading shows %d paragraphs, want the seed's 8", n)
	}
	p.do("scroll to the middle paragraph",
		chromedp.Evaluate[chromedp.Void](`document.getElementById('p-5').scrollIntoView({block: 'center'})`))
	p.waitFor("progress kept on the device", `document.getElementById('progress-status').textContent.indexOf('kept on this device') >= 0`)
	if n := awaitJS[int](p, brQueued); n < 1 {
		t.Errorf("%d writes queued after reading offline, want the progress", n)
	}
	// The knowledge check was saved with its reading: answered offline, the
	// answers wait on the device.
	p.follow(`"Take the knowledge check"`, `//a[@id="take-check"]`)
	p.see("Check your understanding", check.Questions[0].Prompt)
	p.chooseAnswers(check, true)
	p.do("submit the answers", chromedp.Click(`//button[normalize-space(.)="Submit answers"]`))
	p.waitFor("the answers kept on the device", `document.querySelector('.offline-queued') !== null`)
	p.see("Your answers are kept on this device")
	p.screenshotsInBothSchemes(shots, "offline-check-queued")
	if attempts, completed, furthest := browserCounts(t, e); attempts != 0 || completed != 0 || furthest != 0 {
		t.Fatalf("while offline the server has %d attempts, %d completions, furthest p-%d; want nothing", attempts, completed, furthest)
	}

	// A page that was not saved gets the offline page, which lists what is.
	p.open("/dashboard")
	p.see("You are offline", "not saved on this device")
	p.waitFor("the list of saved readings", `!document.getElementById('offline-saved').hidden`)
	if href := p.attr("#offline-saved a", "href"); href != brReaderPath {
		t.Errorf("the offline page links the saved reading as %q, want %s", href, brReaderPath)
	}
	p.screenshotsInBothSchemes(shots, "offline-page")

	// Back online: the saved reading page sends the queue, in order, once.
	// Its CSRF token has gone stale (as on a page kept from an older visit):
	// refused once, the replay reads a fresh one and sends again.
	p.open(brReaderPath) // from the device: the network is still off
	p.do("spoil the page's CSRF token", chromedp.Evaluate[chromedp.Void](
		`document.querySelector('meta[name="csrf-token"]').setAttribute('content', 'stale-token')`))
	p.setNetwork(cable, true)
	p.waitFor("the queue to be sent", `document.documentElement.getAttribute('data-queue-left') === '0'`)
	attempts, completed, furthest := browserCounts(t, e)
	if attempts != 1 || completed != 1 || furthest < 4 {
		t.Fatalf("after the replay the server has %d attempts, %d completions, furthest p-%d; want 1, 1, at least p-4",
			attempts, completed, furthest)
	}
	// Later pages and another online event send nothing again.
	p.open(brCourseHome)
	p.see("Completed")
	p.do("another online event", chromedp.Evaluate[chromedp.Void](`window.dispatchEvent(new Event('online'))`))
	p.do("let a replay run", chromedp.Sleep(300*time.Millisecond))
	if again, done, _ := browserCounts(t, e); again != 1 || done != 1 {
		t.Errorf("after more pages the server has %d attempts and %d completions, want 1 and 1", again, done)
	}
	if n := awaitJS[int](p, brQueued); n != 0 {
		t.Errorf("%d writes still queued, want 0", n)
	}
	// A write kept under a sign-in that has ended (one the server never
	// issued, here) is dropped at the next page with a notice, never sent.
	_, _, before := browserCounts(t, e)
	awaitJS[bool](p, `courseportalQueue.add(document.querySelector('meta[name="offline-key"]').content, {kind: 'progress',
		url: '`+progressURL+`', method: 'PUT', session: '0123456789abcdef01234567',
		json: {course: '`+courseSlug+`', percent: 100, position: 'p-8', seconds: 60}}).then(function () { return true; })`)
	p.open(brCourseHome)
	p.waitFor("the notice of the discarded write", `document.getElementById('offline-notice') !== null`)
	p.see("1 offline update from a previous sign-in was discarded")
	if n := awaitJS[int](p, brQueued); n != 0 {
		t.Errorf("%d writes queued after the ended sign-in's was dropped, want 0", n)
	}
	if _, _, after := browserCounts(t, e); after != before {
		t.Errorf("the ended sign-in's write reached the server: furthest p-%d, was p-%d", after, before)
	}

	// With no page to send it (the page only sends on load and on the online
	// event), a write of this sign-in goes out on Background Sync, from the
	// service worker.
	awaitJS[bool](p, `courseportalQueue.add(document.querySelector('meta[name="offline-key"]').content, {kind: 'progress',
		url: '`+progressURL+`', method: 'PUT', session: document.querySelector('meta[name="offline-session"]').content,
		json: {course: '`+courseSlug+`', percent: 100, position: 'p-8', seconds: 30}}).then(function () { return true; })`)
	p.dispatchSync("courseportal-queue")
	for deadline := time.Now().Add(15 * time.Second); ; {
		if _, _, furthest := browserCounts(t, e); furthest == 8 && awaitJS[int](p, brQueued) == 0 {
			break
		}
		if time.Now().After(deadline) {
			_, _, furthest := browserCounts(t, e)
			p.fatalf("15 s after Background Sync the server has furthest p-%d and %d writes wait, want p-8 and none",
				furthest, awaitJS[int](p, brQueued))
		}
		time.Sleep(100 * time.Millisecond)
	}

	// The device keeps the shell and the saved week, never console pages
	// or JSON (fetched here as the student's pages would).
	awaitJS[bool](p, `Promise.all(['/api/v1/me/enrollments', '/manifest.webmanifest', '/admin/'].map(function (u) {
		return fetch(u, { credentials: 'same-origin' });
	})).then(function () { return true; })`)
	for _, path := range awaitJS[[]string](p, brCachedPaths) {
		if path != brReaderPath && path != seededCheckPath && path != "/offline" && !strings.HasPrefix(path, "/static/") {
			t.Errorf("the device keeps %s; only the shell and saved readings belong there", path)
		}
	}

	// The session ends while a write waits (revoked from another device, or
	// expired): a page of nobody's deletes the queue, and the person hears of
	// the lost write when they sign in again.
	awaitJS[bool](p, `courseportalQueue.add(document.querySelector('meta[name="offline-key"]').content, {kind: 'progress',
		url: '`+progressURL+`', method: 'PUT', session: document.querySelector('meta[name="offline-session"]').content,
		json: {course: '`+courseSlug+`', percent: 100, position: 'p-8', seconds: 30}}).then(function () { return true; })`)
	if err := e.store.DB().Exec("DELETE FROM sessions").Error; err != nil {
		t.Fatal(err)
	}
	p.open("/")
	p.see("Log in")
	for deadline := time.Now().Add(5 * time.Second); awaitJS[int](p, brPortalDatabases) != 0; {
		if time.Now().After(deadline) {
			p.fatalf("a page of nobody's left the ended session's queue on the device")
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.open("/login")
	p.do("sign in again",
		chromedp.SendKeys(chromedp.ID("email"), "farid.ahmadi@example.org"),
		chromedp.SendKeys(chromedp.ID("password"), brPassphrase))
	p.follow("the login button", `//form//button[normalize-space(.)="Log in"]`)
	p.waitFor("the notice of the discarded write", `document.getElementById('offline-notice') !== null`)
	p.see("1 offline update from a previous sign-in was discarded")
	p.screenshotsInBothSchemes(shots, "offline-discarded-notice")

	p.follow("Log out", `//form[@action="/logout"]//button`)
	p.see("Log in")
	if n := awaitJS[int](p, brSavedCaches); n != 0 {
		t.Errorf("%d saved caches after signing out, want 0", n)
	}
	if n := awaitJS[int](p, brPortalDatabases); n != 0 {
		t.Errorf("%d portal databases after signing out, want 0", n)
	}
	for _, path := range awaitJS[[]string](p, brCachedPaths) {
		if strings.HasPrefix(path, "/learn/") {
			t.Errorf("after signing out the device still keeps %s", path)
		}
	}

	// The next person on the same phone sees nothing saved.
	p.open(brJoinPath)
	p.fillJoinForm("Zarghuna Noori", "zarghuna.noori@example.org", brPassphrase)
	p.follow("the join form's submit button", `//form//button[normalize-space(.)="Join today"]`)
	p.waitFor("the Save for offline controls", `!document.getElementById('offline-week-1').hidden`)
	if saved := p.attr("#offline-week-1", "data-saved"); saved != "false" {
		t.Errorf("the second person's week 1 has data-saved=%q, want false", saved)
	}
	p.dontSee("Saved for offline reading", "offline update")
	if n := awaitJS[int](p, brPortalDatabases); n != 0 {
		t.Errorf("the second person finds %d portal databases, want 0", n)
	}
}
