package views

import (
	"testing"

	"courseportal/views/i18n"
)

// consoleTexts are course titles and slugs that need escaping, read right
// to left, or are not UTF-8 at all.
var consoleTexts = []string{"", "Intro to Go", `<script>alert("x")</script>`, `Tom & Jerry's "best" a+b`,
	"مقدمه\u200cای بر برنامه\u200cنویسی", "\x00nul", "\xff\xfebroken", "javascript:alert(1)", "a b<c", "intro", "data-101"}

// consoleLanguages are the shipped languages (English and Dari, see
// TestRenderedLanguages) and the pseudo-language, with
// a renderer that speaks them all.
func consoleLanguages(t *testing.T) ([]*i18n.Localizer, *Renderer) {
	t.Helper()
	r, err := NewWithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	return r.Languages().Rendered(), r
}

// person is a console reader as the pages give it, with more than the menu
// reads.
type person struct {
	Role, FullName string
}

func (p *person) IsAdmin() bool { return p.Role == "admin" }

// coursePage is a console page about a course, as the pages give it.
type coursePage struct {
	Course *course
	Tab    string
}

type course struct {
	Slug, Title, Subtitle string
	Published             bool
}

func (p coursePage) CourseHeading() (CourseHeading, bool) {
	if p.Course == nil {
		return CourseHeading{}, false
	}
	return CourseHeading{Title: p.Course.Title, Slug: p.Course.Slug, Tab: p.Tab, Published: p.Course.Published}, true
}

// templateBytes is a partial as its template writes it.
func templateBytes(t *testing.T, r *Renderer, loc *i18n.Localizer, part string, data any) string {
	t.Helper()
	out, err := r.Part(consolePartsPage, part, loc, data)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// The kept menu is admin-nav-at's bytes for every section, open or none,
// for admins and instructors, in every language; it is rendered once.
func TestConsoleNavIsTheTemplatesBytes(t *testing.T) {
	locs, r := consoleLanguages(t)
	for _, loc := range locs {
		for _, role := range []string{"admin", "instructor"} {
			for _, tab := range []string{"", "overview", "users", "certificates", "names", "outbox", "audit", `x"<y>`} {
				who := &person{Role: role, FullName: `<b>Ann</b>`}
				want := templateBytes(t, r, loc, "admin-nav-at", map[string]any{"User": who, "Tab": tab})
				for range 2 {
					got, err := r.consoleNav(loc, who, tab)
					if err != nil {
						t.Fatal(err)
					}
					if string(got) != want {
						t.Fatalf("%s %s %q: the menu differs from the template:\n%s\n----\n%s", loc.Code(), role, tab, got, want)
					}
				}
			}
		}
		if n := r.consoleParts(loc).navs.Len(); n != 2*8 {
			t.Fatalf("%s: %d menus kept, want %d", loc.Code(), n, 2*8)
		}
	}
}

// The course header from pieces is admin-course-header's bytes on every
// tab, published or draft, in every language, whatever the course's title
// holds; a slug that a URL would escape is headed by the template, right.
func TestCourseHeaderIsTheTemplatesBytes(t *testing.T) {
	locs, r := consoleLanguages(t)
	tabs := []string{"details", "readings", "cohorts", "roster", ""}
	for _, loc := range locs {
		for _, tab := range tabs {
			for _, published := range []bool{true, false} {
				for _, title := range consoleTexts {
					for _, slug := range consoleTexts {
						p := coursePage{Course: &course{Slug: slug, Title: title, Subtitle: "<i>", Published: published}, Tab: tab}
						want := templateBytes(t, r, loc, "admin-course-header", p)
						got, err := r.courseHeader(loc, p)
						if err != nil {
							t.Fatal(err)
						}
						if string(got) != want {
							t.Fatalf("%s %q %v %q %q: the header differs from the template:\n%s\n----\n%s",
								loc.Code(), tab, published, title, slug, got, want)
						}
					}
				}
				if pieces, _ := r.consoleParts(loc).headers.Kept(headerKey{published: published, tab: tab}); len(pieces) < 2 {
					t.Fatalf("%s %q %v: the header was not kept as pieces", loc.Code(), tab, published)
				}
			}
		}
	}
	if _, err := r.courseHeader(locs[0], coursePage{Tab: "details"}); err == nil {
		t.Fatal("a course header without a course gave no error")
	}
}
