package routes_test

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"

	"courseportal/models"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// The student journey in Dari, right to left: the landing page with
// ?lang=fa-AF, the join form, the course home, the reader, "Mark as
// complete" (the seeded check removed, so the button completes the
// reading), the completed course and its certificate page. Each page is
// <html lang="fa-AF" dir="rtl">, its layout mirrored (the brand on the
// right, the navigation on the left), and a name in Arabic and Latin
// script reads as typed. Screenshots at phone and laptop widths.
func TestBrowserStudentJourneyInDari(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	openSeededCertificates(t, e)
	removeSeededCheck(t, e)
	b := newChromeBrowser(t, e.serve())
	shots := browserScreenshotDir(t)
	p := b.person()
	const name = "فرید احمدی (Farid Ahmadi)"

	p.open("/?lang=fa-AF")
	p.expectRightToLeft()
	p.see(brCourseTitle, "همین امروز بپیوندید", "دیدن برنامهٔ درسی", "دوره\u200cها", "ثبت\u200cنام")
	p.screenshots(shots, "dari-1-landing")

	p.follow(`the "Join today" button`, `//a[@href="`+brJoinPath+`" and contains(@class, "btn-primary")]`)
	p.expectRightToLeft()
	p.see("پیوستن به "+brCourseTitle, "نام کامل", "آدرس ایمیل", "رمز عبور")
	p.screenshots(shots, "dari-2-join")
	p.fillJoinForm(name, "farid@example.org", brPassphrase)
	p.follow("the join form's submit button", `//form[@action="`+brJoinPath+`"]//button[@type="submit"]`)
	if got := p.path(); got != brCourseHome {
		p.fatalf("after joining the browser is on %s, want %s", got, brCourseHome)
	}
	p.expectRightToLeft()
	p.see("ثبت\u200cنام شما انجام شد", "هفتهٔ 1", "هفتهٔ 6", "شروع خواندن", "0% تکمیل", "خروج", "پیشرفت شما", name)
	p.dontSee("Start reading", "Week 1", "Log out")
	p.screenshots(shots, "dari-3-course-home")
	p.darkScreenshots(shots, "dari-3-course-home")

	p.follow(`"Start reading"`, `//a[@id="continue-reading"]`)
	if got := p.path(); got != brReaderPath {
		p.fatalf(`"Start reading" led to %s, want %s`, got, brReaderPath)
	}
	p.expectRightToLeft()
	p.see("متن هفتهٔ 1", "منبع:", "دقیقه مطالعه", "علامت\u200cگذاری به\u200cعنوان تکمیل\u200cشده")
	p.screenshots(shots, "dari-4-reader")

	e.clock.Advance(time.Hour) // past the reading's minimum time
	p.follow(`"Mark as complete"`, `//form[contains(@action, "/complete")]//button[@type="submit"]`)
	if got := p.path(); got != brCourseHome {
		p.fatalf(`"Mark as complete" led to %s, want the course home`, got)
	}
	p.see("تبریک", "100% تکمیل", "دانلود تصدیق\u200cنامه", "تصدیق\u200cنامهٔ شما آماده است")
	p.screenshots(shots, "dari-5-course-completed")

	var cert models.Certificate
	if err := e.store.DB().Take(&cert).Error; err != nil {
		t.Fatalf("no certificate after completing the course: %v", err)
	}
	p.open("/certificates/" + cert.Code)
	p.expectRightToLeft()
	p.see("تصدیق\u200cنامهٔ معتبر", "اعطا شده به", name, cert.Code)
	p.screenshots(shots, "dari-6-certificate")
	p.darkScreenshots(shots, "dari-6-certificate")

	p.open("/privacy")
	p.expectRightToLeft()
	p.see("حریم خصوصی: آنچه نگه می\u200cداریم", "14 روز", "تماس با گروه دوره")
	p.screenshots(shots, "dari-7-privacy")

	// The choice sticks to the account: back in English with ?lang=en, the
	// same pages read left to right.
	p.open("/dashboard?lang=en")
	if dir := p.attr("html", "dir"); dir != "ltr" {
		t.Errorf("?lang=en gave dir=%q", dir)
	}
	p.see("My courses", name)
}

// expectRightToLeft checks the page is Dari and laid out right to left: the
// brand sits at the right edge of the header and the navigation at the left.
func (tb *browserTab) expectRightToLeft() {
	tb.t.Helper()
	if lang, dir := tb.attr("html", "lang"), tb.attr("html", "dir"); lang != "fa-AF" || dir != "rtl" {
		tb.fatalf(`%s is <html lang=%q dir=%q>, want lang="fa-AF" dir="rtl"`, tb.path(), lang, dir)
	}
	tb.setViewport(browserLaptopWidth, browserLaptopHeight)
	brand := browserEval[[]float64](tb, `(function () { var r = document.querySelector('.brand').getBoundingClientRect(); return [r.left, r.right]; })()`)
	nav := browserEval[[]float64](tb, `(function () { var r = document.querySelector('.site-nav').getBoundingClientRect(); return [r.left, r.right]; })()`)
	width := float64(browserLaptopWidth)
	if len(brand) != 2 || len(nav) != 2 || brand[0] < width/2 || nav[1] > brand[0] {
		tb.t.Errorf("%s is not mirrored: brand at %v, navigation at %v of %v px", tb.path(), brand, nav, width)
	}
	// Text starts at the right, the course's English titles too (they keep
	// their own direction but line up with the page). A reading keeps its
	// own direction, so its text is not checked.
	align := browserEval[string](tb, `(function () {
		return Array.from(document.querySelectorAll('main p, main h1, main h2, main h3')).filter(function (el) {
			return !el.closest('#reading');
		}).map(function (el) {
			var a = getComputedStyle(el).textAlign, rtl = getComputedStyle(el).direction === 'rtl';
			return (a === 'right' || (rtl && a === 'start') || a === 'center') ? '' : el.tagName + ' ' + a + ': ' + el.textContent.trim().slice(0, 40);
		}).filter(Boolean).join('; ');
	})()`)
	if align != "" {
		tb.t.Errorf("%s: text aligned to the left in a right-to-left page: %s", tb.path(), align)
	}
	if clipped := browserEval[float64](tb, `Array.from(document.querySelectorAll('main h1, main h2, main .btn, main label')).reduce(function (n, el) {
		return n + (el.scrollWidth > el.clientWidth + 1 ? 1 : 0); }, 0)`); math.Abs(clipped) > 0 {
		tb.t.Errorf("%s: %v headings, buttons or labels are clipped", tb.path(), clipped)
	}
	if strings.Contains(tb.text(), "⟦") {
		tb.t.Errorf("%s shows pseudo-locale brackets", tb.path())
	}
	// The narrowest phones: nothing scrolls sideways, in either scheme.
	tb.setViewport(320, 640)
	for _, scheme := range []string{"dark", "light"} {
		tb.colorScheme(scheme)
		if overflow := browserEval[int](tb, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); overflow > 0 {
			tb.t.Errorf("%s at 320 px (%s): %d px wider than the screen", tb.path(), scheme, overflow)
		}
	}
	tb.setViewport(browserLaptopWidth, browserLaptopHeight)
}

// darkScreenshots takes the screenshots in the dark colour scheme, then
// goes back to the light one.
func (tb *browserTab) darkScreenshots(dir, name string) {
	tb.t.Helper()
	tb.colorScheme("dark")
	tb.screenshots(dir, name+"-dark")
	tb.colorScheme("light")
}

// colorScheme emulates prefers-color-scheme: "light" or "dark".
func (tb *browserTab) colorScheme(scheme string) {
	tb.t.Helper()
	tb.do("prefers-color-scheme: "+scheme, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}})
		return err
	}))
}
