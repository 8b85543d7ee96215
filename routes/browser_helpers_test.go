package routes_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"courseportal/models/testdb"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// browserTestTimeout bounds one browser test: a hang fails instead of blocking.
// The journeys that take screenshots at three widths in two schemes need
// most of a minute under the race detector, hence the headroom.
const browserTestTimeout = 3 * time.Minute

// Widths the screenshots are taken at: a phone and a laptop.
const (
	browserPhoneWidth   = 390
	browserPhoneHeight  = 844
	browserLaptopWidth  = 1280
	browserLaptopHeight = 800
)

// browserChromiumPath finds Debian's Chromium. Without it the browser tests skip,
// unless REQUIRE_BROWSER=1 (CI) makes its absence a failure.
func browserChromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if st, err := os.Stat("/usr/bin/chromium"); err == nil && !st.IsDir() {
		return "/usr/bin/chromium"
	}
	if os.Getenv("REQUIRE_BROWSER") == "1" {
		t.Fatal("REQUIRE_BROWSER=1 but no chromium binary was found: apt-get install -y chromium")
	}
	t.Skip("chromium not found: install Debian's chromium package to run the browser tests")
	return ""
}

// browser is one headless Chromium, started for one test with a fresh
// profile, and closed (before the app shuts down) when the test ends.
type chromeBrowser struct {
	t      *testing.T
	ctx    context.Context // the browser's first tab; it carries the test's deadline
	base   string          // the app's URL, from env.serve
	budget time.Duration   // how long the test may use the browser
}

// newChromeBrowser starts Chromium against the app at base. Call it after
// e.serve(), so that the browser closes before the server stops.
func newChromeBrowser(t *testing.T, base string) *chromeBrowser {
	t.Helper()
	return newChromeBrowserWithin(t, base, browserTestTimeout)
}

// newChromeBrowserWithin is newChromeBrowser for a test that needs another
// budget than one journey's.
func newChromeBrowserWithin(t *testing.T, base string, budget time.Duration) *chromeBrowser {
	t.Helper()
	path := browserChromiumPath(t)
	profile := t.TempDir() // removed after the browser has exited (cleanups run in reverse)
	deadline, cancelDeadline := context.WithTimeout(context.Background(), budget)
	alloc, cancelAlloc := chromedp.NewExecAllocator(deadline,
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true),
		chromedp.WindowSize(browserLaptopWidth, browserLaptopHeight),
		chromedp.UserDataDir(profile),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancel()         // closes the tabs and the browser
		cancelAlloc()    // waits for the process to exit
		cancelDeadline() //
	})
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start chromium (%s): %v", path, err)
	}
	return &chromeBrowser{t: t, ctx: ctx, base: base, budget: budget}
}

// tab is one page in its own browser context: its own cookies, like a
// separate person on a separate machine.
type browserTab struct {
	t   *testing.T
	b   *chromeBrowser
	ctx context.Context
}

// person opens a tab in a fresh browser context (no shared cookies).
func (b *chromeBrowser) person() *browserTab {
	b.t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	tb := &browserTab{t: b.t, b: b, ctx: ctx}
	tb.do("open the tab", chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		// A fixed laptop viewport, so what "in view" means is the same on every machine.
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: browserLaptopWidth, Height: browserLaptopHeight, DeviceScaleFactor: 1})
		return err
	}))
	return tb
}

// do runs actions and fails the test on error.
func (tb *browserTab) do(what string, steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, steps...); err != nil {
		tb.fatalf("%s: %v", what, err)
	}
}

// fatalf fails the test, saying where the browser was.
func (tb *browserTab) fatalf(format string, args ...any) {
	tb.t.Helper()
	msg := fmt.Sprintf(format, args...)
	if errors.Is(tb.ctx.Err(), context.DeadlineExceeded) {
		msg += fmt.Sprintf(" (the browser test ran out of its %s budget)", tb.b.budget)
	} else if loc, err := chromedp.Run(tb.ctx, chromedp.Location()); err == nil {
		msg += "\n  page: " + loc
		if body, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS("main"))); err == nil {
			msg += "\n  main: " + browserShorten(body, 600)
		}
	}
	tb.t.Fatal(msg)
}

func browserShorten(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// open navigates to a path of the app and expects a 200 page.
func (tb *browserTab) open(path string) {
	tb.t.Helper()
	res, err := chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.b.base+path))
	if err != nil {
		tb.fatalf("open %s: %v", path, err)
	}
	tb.expectOK("open "+path, res)
}

// follow clicks something that loads a new page (a link or a submit button)
// and waits for that page; a redirect is followed to the page it ends on.
func (tb *browserTab) follow(what string, sel chromedp.Search) {
	tb.t.Helper()
	tb.do("find "+what, chromedp.WaitVisible(sel))
	res, err := chromedp.RunResponse(tb.ctx, chromedp.Click(sel))
	if err != nil {
		tb.fatalf("click %s: %v", what, err)
	}
	tb.expectOK("click "+what, res)
}

func (tb *browserTab) expectOK(what string, res *network.Response) {
	tb.t.Helper()
	if res == nil {
		tb.fatalf("%s: no response", what)
	}
	if res.Status != 200 {
		tb.fatalf("%s: %s answered %d", what, res.URL, res.Status)
	}
}

// path is the current URL without the app's origin.
func (tb *browserTab) path() string {
	tb.t.Helper()
	loc, err := chromedp.Run(tb.ctx, chromedp.Location())
	if err != nil {
		tb.fatalf("location: %v", err)
	}
	return strings.TrimPrefix(loc, tb.b.base)
}

// text is what a person sees on the page (innerText of the body).
func (tb *browserTab) text() string {
	tb.t.Helper()
	// Read through script, not a DOM node: a node id goes stale when the
	// page's document is replaced under it, and the read then fails.
	s, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if err != nil {
		tb.fatalf("page text: %v", err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// see asserts the page shows every one of wants. The match ignores case:
// innerText applies CSS text-transform, so "Week 1" may read "WEEK 1".
func (tb *browserTab) see(wants ...string) {
	tb.t.Helper()
	body := tb.text()
	for _, w := range wants {
		if !strings.Contains(strings.ToLower(body), strings.ToLower(w)) {
			tb.t.Errorf("%s does not show %q; it shows:\n%s", tb.path(), w, browserShorten(body, 1500))
		}
	}
}

// dontSee asserts the page shows none of the texts (ignoring case).
func (tb *browserTab) dontSee(texts ...string) {
	tb.t.Helper()
	body := tb.text()
	for _, w := range texts {
		if strings.Contains(strings.ToLower(body), strings.ToLower(w)) {
			tb.t.Errorf("%s shows %q, it should not", tb.path(), w)
		}
	}
}

// attr reads an attribute of the first element matching the CSS selector.
func (tb *browserTab) attr(sel, name string) string {
	tb.t.Helper()
	res, err := chromedp.Run(tb.ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
	if err != nil {
		tb.fatalf("attribute %s of %s: %v", name, sel, err)
	}
	if !res.Exists {
		tb.fatalf("%s has no %s attribute", sel, name)
	}
	return res.Value
}

// browserEval evaluates an expression in the page (the test's own DevTools
// evaluation: it runs even when the page's scripts are disabled).
func browserEval[T any](tb *browserTab, expr string) T {
	tb.t.Helper()
	v, err := chromedp.Run(tb.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		tb.fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// fillJoinForm types a person's details into the join form.
func (tb *browserTab) fillJoinForm(name, email, password string) {
	tb.t.Helper()
	tb.do("fill in the join form",
		chromedp.WaitVisible(chromedp.ID("full_name")),
		chromedp.SendKeys(chromedp.ID("full_name"), name),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), password),
	)
}

// logIn signs in through the login form with the fixtures' password.
func (tb *browserTab) logIn(email string) {
	tb.t.Helper()
	tb.open("/login")
	tb.do("fill in the login form",
		chromedp.WaitVisible(chromedp.ID("email")),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("password"), testdb.Password),
	)
	tb.follow("the login button", `//form//button[normalize-space(.)="Log in"]`)
}

// setViewport emulates a phone (mobile, honouring the viewport meta tag) or
// a laptop.
func (tb *browserTab) setViewport(width, height int64) {
	tb.t.Helper()
	tb.do(fmt.Sprintf("viewport %dx%d", width, height), chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetDeviceMetricsOverride, emulation.SetDeviceMetricsOverrideParams{
			Width: width, Height: height, DeviceScaleFactor: 1, Mobile: width < 600})
		return err
	}))
}

// browserFullPagePNG captures the whole page, not only the viewport.
func browserFullPagePNG(ctx context.Context, t *chromedp.Target) ([]byte, error) {
	m, err := cdp.Call(ctx, t, page.GetLayoutMetrics, cdp.Empty{})
	if err != nil {
		return nil, err
	}
	if m.CSSContentSize == nil || m.CSSLayoutViewport == nil {
		return nil, errors.New("no layout metrics")
	}
	w := max(m.CSSContentSize.Width, float64(m.CSSLayoutViewport.ClientWidth))
	h := max(m.CSSContentSize.Height, float64(m.CSSLayoutViewport.ClientHeight))
	beyond, surface := true, true
	r, err := cdp.Call(ctx, t, page.CaptureScreenshot, page.CaptureScreenshotParams{
		Format:                page.CaptureScreenshotFormatPng,
		CaptureBeyondViewport: &beyond,
		FromSurface:           &surface,
		Clip:                  &page.Viewport{X: 0, Y: 0, Width: w, Height: h, Scale: 1},
	})
	if err != nil {
		return nil, err
	}
	return r.Data, nil
}

var browserPNGSignature = []byte("\x89PNG\r\n\x1a\n")

// screenshots saves full-page PNGs of the current page at phone and laptop
// widths into dir as NAME-390.png and NAME-1280.png, checks them, checks the
// phone layout does not scroll sideways, and leaves the laptop viewport on.
func (tb *browserTab) screenshots(dir, name string) {
	tb.t.Helper()
	for _, size := range [][2]int64{{browserPhoneWidth, browserPhoneHeight}, {browserLaptopWidth, browserLaptopHeight}} {
		tb.setViewport(size[0], size[1])
		// Let the new layout settle (fonts, media queries) before measuring it.
		tb.do("settle", chromedp.Sleep(150*time.Millisecond))
		overflow := browserEval[int](tb, `document.documentElement.scrollWidth - document.documentElement.clientWidth`)
		if overflow > 0 {
			wide := browserEval[string](tb, `Array.from(document.querySelectorAll('body *')).filter(function (el) {
				var r = el.getBoundingClientRect(); return r.right > document.documentElement.clientWidth + 1 && r.width > 0;
			}).slice(0, 5).map(function (el) { return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
				(el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''); }).join(', ')`)
			tb.t.Errorf("%s at %d px: the page is %d px wider than the screen (scrolls sideways); too wide: %s",
				name, size[0], overflow, wide)
		}
		png, err := chromedp.Run(tb.ctx, browserFullPagePNG)
		if err != nil {
			tb.fatalf("screenshot %s at %d px: %v", name, size[0], err)
		}
		if len(png) < 1000 || !bytes.HasPrefix(png, browserPNGSignature) {
			tb.t.Errorf("screenshot %s at %d px is not a real PNG (%d bytes)", name, size[0], len(png))
		}
		file := filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, size[0]))
		if err := os.WriteFile(file, png, 0o644); err != nil {
			tb.t.Fatal(err)
		}
		if st, err := os.Stat(file); err != nil || st.Size() == 0 {
			tb.t.Errorf("screenshot %s is empty or missing: %v", file, err)
		}
	}
}

// browserScreenshotDir makes the folder the screenshots are kept in after the test.
func browserScreenshotDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "courseportal-screenshots-")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshots: %s", dir)
	return dir
}

// browserProgressRow is one reading_progress row as the database has it.
type browserProgressRow struct {
	Furthest int
	Percent  int
}

// browserSavedProgress reads the progress rows straight from the database (the
// browser's session cookie is not the in-process client's).
func browserSavedProgress(t *testing.T, e *env) []browserProgressRow {
	t.Helper()
	var rows []browserProgressRow
	if err := e.store.DB().Raw("SELECT furthest, percent FROM reading_progress").Scan(&rows).Error; err != nil {
		t.Fatalf("read reading_progress: %v", err)
	}
	return rows
}

// waitForSavedProgress polls the database until the reader's script has
// saved a furthest paragraph of at least minFurthest.
func (tb *browserTab) waitForSavedProgress(e *env, minFurthest int, within time.Duration) browserProgressRow {
	tb.t.Helper()
	deadline := time.Now().Add(within)
	for {
		rows := browserSavedProgress(tb.t, e)
		if len(rows) > 1 {
			tb.fatalf("%d progress rows for one person and one reading", len(rows))
		}
		if len(rows) == 1 && rows[0].Furthest >= minFurthest {
			return rows[0]
		}
		if status, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.ID("progress-status"))); err == nil &&
			strings.Contains(status, "isn't being saved") {
			tb.fatalf("the reader stopped saving progress: %q", status)
		}
		if time.Now().After(deadline) {
			tb.fatalf("progress not saved with furthest >= %d within %s; database has %+v", minFurthest, within, rows)
		}
		select {
		case <-tb.ctx.Done():
			tb.fatalf("waiting for progress: %v", tb.ctx.Err())
		case <-time.After(250 * time.Millisecond):
		}
	}
}
