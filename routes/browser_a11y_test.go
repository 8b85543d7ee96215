package routes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// axeSource reads axe-core's axe.min.js, whose path AXE_CORE_JS holds
// (.ci/run installs the pinned npm package and sets it). Without it the scan
// skips, unless REQUIRE_TOOLS=1 (CI) makes its absence a failure.
func axeSource(t *testing.T) string {
	t.Helper()
	path := os.Getenv("AXE_CORE_JS")
	if path == "" {
		if os.Getenv("REQUIRE_TOOLS") == "1" {
			t.Fatal("AXE_CORE_JS is not set: .ci/run installs the npm package axe-core and sets it")
		}
		t.Skip("AXE_CORE_JS is not set: npm install axe-core and set AXE_CORE_JS to its axe.min.js to run the accessibility scan")
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("AXE_CORE_JS: %v", err)
	}
	return string(src)
}

// a11yScanTimeout bounds the scan: about a minute and a half under the race
// detector on two busy cores, and the rest of the suite shares them.
const a11yScanTimeout = 6 * time.Minute

// A page is looked at as it is laid out at each of these, in both colour
// schemes: a phone and a laptop by axe-core and for sideways scrolling, the
// 320 px of WCAG's reflow criterion for sideways scrolling only.
var (
	a11yLayouts   = [][2]int64{{browserPhoneWidth, browserPhoneHeight}, {browserLaptopWidth, browserLaptopHeight}, {reflowWidth, reflowHeight}}
	a11ySchemes   = []string{"light", "dark"}
	reflowWidth   = int64(320)
	reflowHeight  = int64(640)
	shotWidths    = [][2]int64{{reflowWidth, reflowHeight}, {browserPhoneWidth, browserPhoneHeight}, {browserLaptopWidth, browserLaptopHeight}}
	axeRunOptions = `{resultTypes: ["violations"]}`
)

// axeViolation is one rule axe-core found broken, with the elements.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target  []any  `json:"target"`
		Summary string `json:"failureSummary"`
	} `json:"nodes"`
}

// TestBrowserEveryPageAccessible opens every page state of the tour in one
// Chromium, each person in a tab of their own, and asks axe-core for zero
// violations at 390 and 1280 px in light and dark, and that neither the page
// nor a box in it scrolls sideways then, nor at 320 px. With
// A11Y_SCREENSHOTS set to a pattern, the states whose names match it are
// also saved as PNGs at 320, 390 and 1280 px in both schemes.
func TestBrowserEveryPageAccessible(t *testing.T) {
	t.Parallel()
	axe := axeSource(t)
	tour := newPageTour(t)
	b := newChromeBrowserWithin(t, tour.e.serve(), a11yScanTimeout)
	shots, shoot := a11yScreenshotFilter(t)
	tabs := map[*client]*browserTab{}
	for i, s := range tour.states {
		tb := tabs[s.who]
		if tb == nil {
			tb = b.personWith(s.who, axe)
			tabs[s.who] = tb
		}
		if i == 0 {
			tb.calibrateSidewaysScroll()
		}
		dir := ""
		if shoot != nil && shoot.MatchString(s.name) {
			dir = shots
		}
		found := tb.scanState(s, dir)
		for _, v := range sortedKeys(found) {
			t.Errorf("%s (%s), at %s: %s", s.name, s.path, strings.Join(found[v], ", "), v)
		}
	}
}

// scanState loads the page of a state in each colour scheme and looks at it
// at each width; it returns each finding with the layouts it was made at.
// With a folder, it also keeps screenshots there.
func (tb *browserTab) scanState(s pageState, shots string) map[string][]string {
	tb.t.Helper()
	found := map[string][]string{}
	for _, scheme := range a11ySchemes {
		// The scheme is chosen before the page loads: Chromium does not
		// restyle every element when it changes under a loaded page.
		tb.preferScheme(scheme)
		tb.openState(s)
		for _, size := range a11yLayouts {
			tb.setLayout(size[0], size[1])
			where := fmt.Sprintf("%d px %s", size[0], scheme)
			if size[0] != reflowWidth { // the narrowest is there for reflow only
				for _, v := range tb.axeViolations() {
					found[v] = append(found[v], where)
				}
			}
			if wide := tb.steadySidewaysScroll(size[0]); wide != "" {
				found["scrolls sideways: "+wide] = append(found["scrolls sideways: "+wide], where)
			}
		}
		if shots != "" {
			tb.shootState(shots, s.name, scheme)
		}
	}
	return found
}

// personWith opens a tab with the cookies of a person of the in-process
// tests, and axe-core in every page it loads.
func (b *chromeBrowser) personWith(c *client, axe string) *browserTab {
	b.t.Helper()
	tb := b.person()
	tb.do("take on the person's cookies and axe-core", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		for name, value := range c.cookies {
			if _, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: name, Value: value, URL: b.base + "/"}); err != nil {
				return err
			}
		}
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: axe})
		return err
	}))
	return tb
}

// openState loads the page of a state in the tab: by address, or by posting
// its form from a page of the portal, as the page's own form would.
func (tb *browserTab) openState(s pageState) {
	tb.t.Helper()
	var res *network.Response
	var err error
	if s.form == nil {
		res, err = chromedp.Run(tb.ctx, chromedp.NavigateResponse(tb.b.base+s.path))
	} else {
		if !strings.HasPrefix(browserEval[string](tb, `location.href`), tb.b.base) {
			tb.open("/")
		}
		fields := [][2]string{}
		for k, vs := range s.form {
			for _, v := range vs {
				fields = append(fields, [2]string{k, v})
			}
		}
		action, _ := json.Marshal(s.path)
		values, _ := json.Marshal(fields)
		res, err = chromedp.RunResponse(tb.ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf(postFormScript, action, values)))
	}
	if err != nil {
		tb.fatalf("%s: open %s: %v", s.name, s.path, err)
	}
	if res == nil || res.Status != int64(s.status) {
		tb.fatalf("%s: %s answered %v, want %d", s.name, s.path, res, s.status)
	}
}

// postFormScript posts fields to an address of the portal with the page's
// CSRF token, through a form like the page's own.
const postFormScript = `(function (action, fields) {
	var form = document.createElement("form");
	form.method = "post";
	form.action = action;
	fields.concat([["_csrf", document.querySelector('meta[name="csrf-token"]').content]]).forEach(function (f) {
		var input = document.createElement("input");
		input.type = "hidden"; input.name = f[0]; input.value = f[1];
		form.appendChild(input);
	});
	document.body.appendChild(form);
	form.submit();
})(%s, %s)`

// preferScheme emulates the person's choice of light or dark. It also asks
// for reduced motion, which turns the colour transitions off: a scan must
// see the colours the page settles on, not a blend halfway through a change.
func (tb *browserTab) preferScheme(scheme string) {
	tb.t.Helper()
	tb.do("prefer "+scheme, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme},
				{Name: "prefers-reduced-motion", Value: "reduce"}}})
		return err
	}))
	tb.settle(fmt.Sprintf(`matchMedia("(prefers-color-scheme: %s)").matches`, scheme))
}

// settle waits until condition holds in the page and two frames have been
// drawn since: emulated media and sizes reach the page asynchronously, and a
// scan that starts before would mix the styles of both. A page that does not
// get there in 20 s (a busy machine is slow, not that slow) fails the test.
func (tb *browserTab) settle(condition string) {
	tb.t.Helper()
	settled, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](`new Promise(function (done) {
		var started = Date.now();
		(function wait() {
			if (!(`+condition+`) && Date.now() - started < 20000) { return requestAnimationFrame(wait); }
			requestAnimationFrame(function () { requestAnimationFrame(function () { done(`+condition+`); }); });
		})();
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.fatalf("wait for %s: %v", condition, err)
	}
	if !settled {
		tb.fatalf("the page did not get to %s", condition)
	}
}

// setLayout emulates a screen of the size and waits until the page is laid
// out at it: the layout viewport (not the visual one, which a phone widens
// around a page too wide for it) and the media queries.
func (tb *browserTab) setLayout(width, height int64) {
	tb.t.Helper()
	tb.setViewport(width, height)
	tb.settle(fmt.Sprintf(`document.documentElement.clientWidth === %d && matchMedia("(width: %dpx)").matches`, width, width))
}

// axeViolations runs axe-core on the page as it is laid out now and
// describes each violation, one line per element.
func (tb *browserTab) axeViolations() []string {
	tb.t.Helper()
	raw, err := chromedp.Run(tb.ctx, chromedp.Evaluate[string](
		`axe.run(document, `+axeRunOptions+`).then(function (r) { return JSON.stringify(r.violations); })`, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.fatalf("run axe-core: %v", err)
	}
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		tb.fatalf("axe-core's answer: %v\n%s", err, raw)
	}
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		lines := []string{fmt.Sprintf("%s (%s): %s", v.ID, v.Impact, v.Help)}
		for _, n := range v.Nodes {
			target, _ := json.Marshal(n.Target)
			lines = append(lines, fmt.Sprintf("    %s\n      %s", target, strings.ReplaceAll(n.Summary, "\n", "\n      ")))
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return out
}

// sidewaysScroll names the elements that stick out when the page is wider
// than width, or a box inside it that scrolls sideways (a table too wide for
// its frame, say), or is "" when there is neither.
func (tb *browserTab) sidewaysScroll(width int64) string {
	tb.t.Helper()
	if got := browserEval[int64](tb, `document.documentElement.scrollWidth`); got <= width {
		return browserEval[string](tb, `Array.from(document.querySelectorAll('body *')).filter(function (el) {
			var x = getComputedStyle(el).overflowX;
			return (x === 'auto' || x === 'scroll') && el.scrollWidth > el.clientWidth + 1;
		}).slice(0, 6).map(function (el) { return 'a box that scrolls sideways: ' + el.tagName.toLowerCase() +
			(el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
			' (' + el.scrollWidth + ' px of content in ' + el.clientWidth + ' px)'; }).join(', ')`)
	}
	return fmt.Sprintf("%d px wide; too wide: %s", browserEval[int64](tb, `document.documentElement.scrollWidth`),
		browserEval[string](tb, `Array.from(document.querySelectorAll('body *')).filter(function (el) {
			var r = el.getBoundingClientRect(); return r.right > document.documentElement.clientWidth + 1 && r.width > 0;
		}).slice(0, 6).map(function (el) { return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
			(el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') +
			' (' + Math.round(el.getBoundingClientRect().right) + ' px)'; }).join(', ')`))
}

// steadySidewaysScroll is sidewaysScroll once the layout holds still: on a
// loaded machine Chromium has been seen to answer the first look after a
// resize with the width applied but a media query's rules not yet (a table
// still at its wide min-width in a phone's frame). A finding is looked at
// again after a short wait, up to three times, and reported only if it
// stays; what sticks out for good is still found.
func (tb *browserTab) steadySidewaysScroll(width int64) string {
	tb.t.Helper()
	wide := tb.sidewaysScroll(width)
	for try := 0; wide != "" && try < 3; try++ {
		tb.settle(fmt.Sprintf(`document.documentElement.clientWidth === %d`, width))
		time.Sleep(300 * time.Millisecond)
		wide = tb.sidewaysScroll(width)
	}
	return wide
}

// calibrateSidewaysScroll makes sure the reflow check can fail: a phone's
// browser may widen its layout to fit what sticks out, and a check blind to
// that would pass every page. An element wider than the screen must be seen.
func (tb *browserTab) calibrateSidewaysScroll() {
	tb.t.Helper()
	tb.open("/")
	tb.setLayout(reflowWidth, reflowHeight)
	tb.do("add an element wider than the screen", chromedp.Evaluate[chromedp.Void](`(function () {
		var wide = document.createElement("div");
		wide.style.width = "400px"; wide.style.height = "1px";
		document.body.appendChild(wide);
	})()`))
	if tb.sidewaysScroll(reflowWidth) == "" {
		tb.fatalf("a 400 px element at %d px went unnoticed: the reflow check would pass anything", reflowWidth)
	}
}

// a11yScreenshotFilter reads A11Y_SCREENSHOTS, a pattern of state names to
// keep screenshots of, and makes the folder for them.
func a11yScreenshotFilter(t *testing.T) (string, *regexp.Regexp) {
	t.Helper()
	pattern := os.Getenv("A11Y_SCREENSHOTS")
	if pattern == "" {
		return "", nil
	}
	re, err := regexp.Compile(pattern)
	if err != nil {
		t.Fatalf("A11Y_SCREENSHOTS: %v", err)
	}
	return browserScreenshotDir(t), re
}

// shootState saves the page at 320, 390 and 1280 px in the scheme it is
// shown in, as NAME-SCHEME-WIDTH.png.
func (tb *browserTab) shootState(dir, name, scheme string) {
	tb.t.Helper()
	for _, size := range shotWidths {
		tb.setLayout(size[0], size[1])
		png, err := chromedp.Run(tb.ctx, browserFullPagePNG)
		if err != nil {
			tb.fatalf("screenshot %s at %d px: %v", name, size[0], err)
		}
		writeShot(tb.t, dir, fmt.Sprintf("%s-%s-%d.png", name, scheme, size[0]), png)
	}
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
