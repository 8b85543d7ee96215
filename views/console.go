package views

import (
	"errors"
	"html/template"

	"courseportal/views/i18n"
)

// The console's menu and course header head every console page, and cost
// more to render with html/template than most of a page's own content. The
// menu shows nothing of a view's own: it is rendered once per language,
// reader (admin or not) and open section, and kept. The course header shows
// the course's title and slug: it is rendered once per language, tab and
// published or draft, with markers in their place, and kept as pieces. Both
// stay written by their templates (admin-nav-at, admin-course-header), the
// only place their markup lives; a course whose slug a URL would escape is
// headed by the template on every view.

// CourseHeading is what the course header shows of a page about a course.
type CourseHeading struct {
	Title, Slug, Tab string
	Published        bool
}

// CourseHeaded is a console page about one course; false without one.
type CourseHeaded interface {
	CourseHeading() (CourseHeading, bool)
}

// ConsoleReader is who reads a console page: admins see more sections.
type ConsoleReader interface{ IsAdmin() bool }

// consolePartsPage is the page whose template set renders the menu and
// the course header: every page's set holds them.
const consolePartsPage = "admin_overview"

// Header slots: the course's title (text) and slug (in URLs; plain only).
const (
	headerTitle = iota
	headerSlug
	headerSlots
)

type navKey struct {
	admin bool
	tab   string
}

type headerKey struct {
	published bool
	tab       string
}

// consoleParts are one language's menus, and its course headers' pieces:
// nil for a shape whose pieces would not give the template's bytes, which
// the template writes.
type consoleParts struct {
	navs    Shapes[navKey, template.HTML]
	headers Shapes[headerKey, []Piece]
}

// navReader is the reader the menu is rendered for: only whether they are
// an admin, so a menu that read more of a person would fail, not be kept.
type navReader bool

// IsAdmin reports whether the menu is an admin's.
func (a navReader) IsAdmin() bool { return bool(a) }

// headerData is what admin-course-header reads.
type headerData struct {
	Course headerCourse
	Tab    string
}

type headerCourse struct {
	Title, Slug string
	Published   bool
}

// consoleParts is a language's menus and headers.
func (r *Renderer) consoleParts(loc *i18n.Localizer) *consoleParts {
	if lp, ok := r.pages[loc.Code()]; ok {
		return &lp.console
	}
	return &r.pages[i18n.Default].console
}

// consoleNav is the console's menu with a section open, for a reader.
func (r *Renderer) consoleNav(loc *i18n.Localizer, who ConsoleReader, tab string) (template.HTML, error) {
	key := navKey{admin: who.IsAdmin(), tab: tab}
	return r.consoleParts(loc).navs.Get(key, func() (template.HTML, error) {
		nav, err := r.Part(consolePartsPage, "admin-nav-at", loc, map[string]any{"User": navReader(key.admin), "Tab": tab})
		return template.HTML(nav), err //nolint:gosec // the template's own output
	})
}

// errNoCourse is a course header asked for on a page without a course.
var errNoCourse = errors.New("views: a course header without a course")

// courseHeader is the header of a page about a course.
func (r *Renderer) courseHeader(loc *i18n.Localizer, p CourseHeaded) (template.HTML, error) {
	h, ok := p.CourseHeading()
	if !ok {
		return "", errNoCourse
	}
	if !IsPlain(h.Slug) {
		return r.headerByTemplate(loc, h.Title, h.Slug, h.Tab, h.Published)
	}
	key := headerKey{published: h.Published, tab: h.Tab}
	pieces, err := r.consoleParts(loc).headers.Get(key, func() ([]Piece, error) { return r.cutCourseHeader(loc, key) })
	if err != nil {
		return "", err
	}
	if pieces == nil {
		return r.headerByTemplate(loc, h.Title, h.Slug, h.Tab, h.Published)
	}
	out := AppendPieces(make([]byte, 0, 1024), pieces, []string{headerTitle: h.Title, headerSlug: h.Slug})
	return template.HTML(out), nil //nolint:gosec // the template's markup, values escaped as it escapes them
}

// cutCourseHeader renders a header shape with markers and cuts it into
// pieces; nil when the pieces do not give the template's bytes for a title
// that needs escaping.
func (r *Renderer) cutCourseHeader(loc *i18n.Localizer, key headerKey) ([]Piece, error) {
	tag, err := MarkerTag()
	if err != nil {
		return nil, err
	}
	plain := []string{headerTitle: Marker(tag, headerTitle, false), headerSlug: Marker(tag, headerSlug, false)}
	probe := []string{headerTitle: Marker(tag, headerTitle, true), headerSlug: plain[headerSlug]}
	out, err := r.headerByTemplate(loc, plain[headerTitle], plain[headerSlug], key.tab, key.published)
	if err != nil {
		return nil, err
	}
	pieces := CutAtMarkers([]byte(out), plain)
	want, err := r.headerByTemplate(loc, probe[headerTitle], probe[headerSlug], key.tab, key.published)
	if err != nil {
		return nil, err
	}
	if string(AppendPieces(nil, pieces, probe)) != string(want) {
		return nil, nil
	}
	return pieces, nil
}

// headerByTemplate is a course header as its template writes it.
func (r *Renderer) headerByTemplate(loc *i18n.Localizer, title, slug, tab string, published bool) (template.HTML, error) {
	data := headerData{Course: headerCourse{Title: title, Slug: slug, Published: published}, Tab: tab}
	out, err := r.Part(consolePartsPage, "admin-course-header", loc, data)
	return template.HTML(out), err //nolint:gosec // the template's own output
}

// IsPlain reports whether s holds only ASCII letters, digits and dashes,
// which read the same escaped for a URL, an attribute or text.
func IsPlain(s string) bool {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if (b < '0' || b > '9') && (b < 'A' || b > 'Z') && (b < 'a' || b > 'z') && b != '-' {
			return false
		}
	}
	return true
}
