package routes_test

import (
	"net"
	"sync"
	"testing"
	"time"

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
)

// A student saves week 1 on a phone, loses the network, reads the saved
// reading, gets the offline page for a page they did not save, and signs out;
// the next person on the same browser finds nothing of theirs.
func TestBrowserSaveWeekReadOfflineAndSignOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	base, network := e.serveSwitchable()
	b := newChromeBrowser(t, base)
	shots := browserScreenshotDir(t)
	p := b.person()

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

	// No network: the saved reading opens from the device.
	network.setOnline(false)
	p.open(brReaderPath)
	p.see("Source: The Kootneeti")
	if n := browserEval[int](p, `document.querySelectorAll('#reading p[id^="p-"]').length`); n != 8 {
		t.Errorf("the saved reading shows %d paragraphs, want the seed's 8", n)
	}
	// A page that was not saved gets the offline page, which lists what is.
	p.open("/dashboard")
	p.see("You are offline", "not saved on this device")
	p.waitFor("the list of saved readings", `!document.getElementById('offline-saved').hidden`)
	if href := p.attr("#offline-saved a", "href"); href != brReaderPath {
		t.Errorf("the offline page links the saved reading as %q, want %s", href, brReaderPath)
	}
	p.screenshotsInBothSchemes(shots, "offline-page")

	// Back online: a queued item of this person's (as the progress queue
	// keeps them) exists until sign-out.
	network.setOnline(true)
	p.open(brCourseHome)
	p.waitFor("week 1 shown as saved", `document.getElementById('offline-week-1').getAttribute('data-saved') === 'true'`)
	awaitJS[bool](p, `new Promise(function (done, fail) {
		var key = document.querySelector('meta[name="offline-key"]').content;
		var req = indexedDB.open('courseportal-queue-' + key);
		req.onupgradeneeded = function () { req.result.createObjectStore('writes', { autoIncrement: true }); };
		req.onsuccess = function () { req.result.close(); done(true); };
		req.onerror = function () { fail(req.error); };
	})`)
	if n := awaitJS[int](p, brPortalDatabases); n != 1 {
		t.Fatalf("%d portal databases before sign-out, want 1", n)
	}

	p.follow("Log out", `//form[@action="/logout"]//button`)
	p.see("Log in")
	if n := awaitJS[int](p, brSavedCaches); n != 0 {
		t.Errorf("%d saved caches after signing out, want 0", n)
	}
	if n := awaitJS[int](p, brPortalDatabases); n != 0 {
		t.Errorf("%d portal databases after signing out, want 0", n)
	}

	// The next person on the same phone sees nothing saved.
	p.open(brJoinPath)
	p.fillJoinForm("Zarghuna Noori", "zarghuna.noori@example.org", brPassphrase)
	p.follow("the join form's submit button", `//form//button[normalize-space(.)="Join today"]`)
	p.waitFor("the Save for offline controls", `!document.getElementById('offline-week-1').hidden`)
	if saved := p.attr("#offline-week-1", "data-saved"); saved != "false" {
		t.Errorf("the second person's week 1 has data-saved=%q, want false", saved)
	}
	p.dontSee("Saved for offline reading")
}
