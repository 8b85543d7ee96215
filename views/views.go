// Package views holds the HTML templates and static files, embedded in the
// binary, and renders pages.
package views

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/url"
	"path"
	"strings"
	"sync"
	"time"

	"courseportal/views/i18n"
)

//go:embed templates static
var files embed.FS

// Renderer renders pages. Each page is parsed into its own template set with
// the layout and partials, so two pages defining the same block name cannot
// overwrite each other; all parsing happens once, at start.
type Renderer struct {
	// pages holds each page once per language, keyed by language code
	// and page name: the template functions t and tn are bound to the
	// language when the page is parsed, so they work in every partial
	// without the request's data.
	pages  map[string]*languagePages
	langs  *i18n.Catalogue
	assets *Assets
	worker []byte
	bufs   sync.Pool
}

// New parses every template in every shipped language.
func New() (*Renderer, error) { return NewIn(i18n.Shipped()) }

// NewWithPseudo parses every template in the shipped languages and the
// pseudo-language, for tests that look for text bypassing the catalogue.
func NewWithPseudo() (*Renderer, error) {
	langs, err := i18n.WithPseudo()
	if err != nil {
		return nil, fmt.Errorf("views: %w", err)
	}
	return NewIn(langs)
}

// NewIn parses every template in each language of a catalogue.
func NewIn(langs *i18n.Catalogue) (*Renderer, error) {
	assets, err := newAssets()
	if err != nil {
		return nil, err
	}
	worker, err := serviceWorker(assets, langs)
	if err != nil {
		return nil, err
	}
	r := &Renderer{pages: map[string]*languagePages{}, langs: langs, assets: assets, worker: worker,
		bufs: sync.Pool{New: func() any { return new(bytes.Buffer) }}}
	for _, loc := range langs.Rendered() {
		r.pages[loc.Code()] = &languagePages{loc: loc}
	}
	// The default language is parsed now, so a broken template stops the
	// start; the others parse the same files with the same functions.
	if _, err := r.sets(r.pages[i18n.Default]); err != nil {
		return nil, err
	}
	return r, nil
}

// languagePages are one language's page sets, parsed on the first page
// asked for in that language: each language's copy of every page costs
// some megabytes of heap that the collector walks on every cycle, so a
// language nobody reads costs nothing.
type languagePages struct {
	loc  *i18n.Localizer
	once sync.Once
	sets map[string]*template.Template
	err  error
	// console is the console's menus and course headers (console.go).
	console consoleParts
}

// sets returns lp's page sets, parsing them the first time.
func (r *Renderer) sets(lp *languagePages) (map[string]*template.Template, error) {
	lp.once.Do(func() { lp.sets, lp.err = r.parse(lp.loc) })
	return lp.sets, lp.err
}

// parse parses the layout, partials and every page for one language.
func (r *Renderer) parse(loc *i18n.Localizer) (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(r.funcs(loc)).
		ParseFS(files, "templates/layout.html", "templates/partials/*.html")
	if err != nil {
		return nil, fmt.Errorf("views: unable to parse layout: %w", err)
	}
	pages, err := fs.Glob(files, "templates/pages/*.html")
	if err != nil {
		return nil, fmt.Errorf("views: %w", err)
	}
	sets := make(map[string]*template.Template, len(pages))
	for _, p := range pages {
		set, err := template.Must(base.Clone()).ParseFS(files, p)
		if err != nil {
			return nil, fmt.Errorf("views: unable to parse %s: %w", p, err)
		}
		sets[strings.TrimSuffix(path.Base(p), ".html")] = set
	}
	return sets, nil
}

// Languages is the catalogue the pages speak.
func (r *Renderer) Languages() *i18n.Catalogue { return r.langs }

// Assets returns the fingerprinted static files.
func (r *Renderer) Assets() *Assets { return r.assets }

// ServiceWorker returns the service worker's script, rendered at start with
// the current fingerprinted shell files.
func (r *Renderer) ServiceWorker() []byte { return r.worker }

// Render writes a page in a language. It renders into a buffer first, so a
// template error never sends half a page.
func (r *Renderer) Render(w io.Writer, page string, loc *i18n.Localizer, data any) error {
	set, err := r.set(page, loc)
	if err != nil {
		return err
	}
	buf := r.bufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer r.bufs.Put(buf)
	if err := set.ExecuteTemplate(buf, "layout", data); err != nil {
		return fmt.Errorf("views: unable to render %s: %w", page, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// RenderPart writes one named template of a page's set in a language
// straight to w, for a page written in parts around bytes rendered once
// (the reader). A template error may leave a part written: the caller
// resets its output.
func (r *Renderer) RenderPart(w io.Writer, page, part string, loc *i18n.Localizer, data any) error {
	set, err := r.set(page, loc)
	if err != nil {
		return err
	}
	if err := set.ExecuteTemplate(w, part, data); err != nil {
		return fmt.Errorf("views: unable to render %s of %s: %w", part, page, err)
	}
	return nil
}

// Part is one named template of a page's set rendered in a language.
func (r *Renderer) Part(page, part string, loc *i18n.Localizer, data any) ([]byte, error) {
	var out bytes.Buffer
	err := r.RenderPart(&out, page, part, loc, data)
	return out.Bytes(), err
}

// set is a page's template set in a language, the default language's
// when the page was not parsed in that one.
func (r *Renderer) set(page string, loc *i18n.Localizer) (*template.Template, error) {
	lp, ok := r.pages[loc.Code()]
	if !ok {
		lp = r.pages[i18n.Default]
	}
	sets, err := r.sets(lp)
	if err != nil {
		return nil, err
	}
	set, ok := sets[page]
	if !ok {
		return nil, fmt.Errorf("views: no page %q", page)
	}
	return set, nil
}

// Funcs are the template functions of one language, as the pages are
// parsed with them: for a test that compares a part of a page written in Go
// with the template it replaced.
func (r *Renderer) Funcs(loc *i18n.Localizer) template.FuncMap { return r.funcs(loc) }

// funcs are the template functions of one language: t (a message), tn (its
// plural form for a count), th and tnh (the same with markup, values escaped),
// dates and durations worded in the language, lang and dir for <html>.
func (r *Renderer) funcs(loc *i18n.Localizer) template.FuncMap {
	return template.FuncMap{
		"asset": r.assets.URL,
		"t":     loc.T,
		"tn":    loc.N,
		"th":    func(id string, pairs ...any) template.HTML { return trustedMessage(loc.T, id, pairs) },
		"tnh": func(id string, count any, pairs ...any) template.HTML {
			return trustedMessage(func(id string, pairs ...any) string { return loc.N(id, count, pairs...) }, id, pairs)
		},
		"bdi":      bdi,
		"lang":     loc.Code,
		"dir":      loc.Dir,
		"langs":    r.langs.Languages,
		"date":     loc.Date,
		"datetime": loc.DateTime,
		"weekdate": loc.WeekDate,
		"duration": loc.Duration,
		"isodate":  func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
		"add":      func(a, b int) int { return a + b },
		"dict":     dict,
		"mailto":   Mailto,
		"tel":      tel,
		"isolate":  Isolate,
		"known":    loc.Known,
		// seats reads a cohort's capacity (nil: unlimited, shown as 0) for a plural.
		"seats": func(n *int) int {
			if n == nil {
				return 0
			}
			return *n
		},
		"deref": func(t *time.Time) time.Time {
			if t == nil {
				return time.Time{}
			}
			return *t
		},
		// consoleNav and courseHeader are admin-nav-at and
		// admin-course-header as they render, kept (console.go).
		"consoleNav":   func(who ConsoleReader, tab string) (template.HTML, error) { return r.consoleNav(loc, who, tab) },
		"courseHeader": func(p CourseHeaded) (template.HTML, error) { return r.courseHeader(loc, p) },
	}
}

// Mailto builds a mailto: link whose address cannot add headers or a body:
// the local part and domain are percent-encoded, so "a?cc=x@example.org"
// stays one recipient.
func Mailto(address string) template.URL {
	local, domain, found := strings.Cut(address, "@")
	if !found {
		return template.URL("mailto:" + url.PathEscape(address))
	}
	return template.URL("mailto:" + url.PathEscape(local) + "@" + url.PathEscape(domain))
}

// tel builds a tel: link from a phone number as people write it
// ("(+91) 120 4565994" → "tel:+911204565994"): digits only, with a leading
// plus kept, so nothing else can ride along.
func tel(phone string) template.URL {
	var b strings.Builder
	for _, r := range phone {
		if (r >= '0' && r <= '9') || (r == '+' && b.Len() == 0) {
			b.WriteRune(r)
		}
	}
	return template.URL("tel:" + b.String())
}

// Isolate wraps text in first-strong isolate marks (FSI … PDI) where markup
// such as <bdi> cannot go, like attribute values and the page title, so a
// right-to-left name never reorders the words around it.
func Isolate(s string) string { return "\u2068" + s + "\u2069" }

// dict builds a map from alternating keys and values, to pass several values
// to a sub-template.
func dict(pairs ...any) (map[string]any, error) {
	if len(pairs)%2 != 0 {
		return nil, fmt.Errorf("views: dict needs key and value pairs")
	}
	m := make(map[string]any, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		key, ok := pairs[i].(string)
		if !ok {
			return nil, fmt.Errorf("views: dict keys must be strings")
		}
		m[key] = pairs[i+1]
	}
	return m, nil
}
