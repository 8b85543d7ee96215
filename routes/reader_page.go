package routes

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"sync"

	"courseportal/models"
	"courseportal/models/markdown"
	"courseportal/views"
	"courseportal/views/i18n"

	"github.com/gofiber/fiber/v2"
)

// readerArticle is what the impersonal parts of the reader page show: the
// reading, its course and week, and the rendered article.
type readerArticle struct {
	Course  *models.Course
	Week    *models.Week
	Reading *models.Reading
	Doc     markdown.Document
}

// articleKey is everything the impersonal parts depend on. The version
// changes with the text; the rest can change without it (a course renamed,
// a reading moved or made optional), and is compared on every view.
type articleKey struct {
	ReadingID, CourseID                        int64
	Version, WeekNumber, WordCount             int
	Required                                   bool
	CourseSlug, CourseTitle, Title, Author     string
	SourceName, SourceURL, Credits, Disclaimer string
	Language                                   string
}

func newArticleKey(a *models.Access) articleKey {
	r := a.Reading
	return articleKey{ReadingID: r.ID, CourseID: a.Course.ID, Version: r.Version, WeekNumber: a.Week.Number,
		WordCount: r.WordCount, Required: r.Required, CourseSlug: a.Course.Slug, CourseTitle: a.Course.Title,
		Title: r.Title, Author: r.Author, SourceName: r.SourceName, SourceURL: r.SourceURL, Credits: r.Credits,
		Disclaimer: r.Disclaimer, Language: r.Language}
}

// renderedArticle holds the impersonal parts of one reading's page as the
// bytes sent: top (breadcrumb, contents, header) and body (the article and
// its sources), plain and compressed.
type renderedArticle struct {
	key           articleKey
	text          models.TextDirection
	top, body     []byte
	gzTop, gzBody deflatedPart
	// shapes are the personal parts' pieces for this version and language.
	shapes personalShapes
}

// articleCache keeps one renderedArticle per reading and interface
// language (the parts carry interface strings: breadcrumb, contents,
// "Sources"), the latest seen. A reading edited on another instance has a
// new version, which the next view reads from the database and renders anew.
type articleCache struct {
	mu       sync.RWMutex
	articles map[articleSlot]*renderedArticle
}

// articleSlot is where one reading's parts in one language are kept.
type articleSlot struct {
	ReadingID int64
	Lang      string
}

// readerArticleParts returns the impersonal parts of a's page in loc's
// language, rendering them on the first view of this version.
func (h *handler) readerArticleParts(ctx context.Context, a *models.Access, loc *i18n.Localizer) (*renderedArticle, error) {
	key := newArticleKey(a)
	slot := articleSlot{ReadingID: key.ReadingID, Lang: loc.Code()}
	ac := h.articles
	ac.mu.RLock()
	cached := ac.articles[slot]
	ac.mu.RUnlock()
	if cached != nil && cached.key == key {
		return cached, nil
	}
	doc, err := h.store.RenderedReading(ctx, a.Reading)
	if err != nil {
		return nil, err
	}
	art := readerArticle{Course: a.Course, Week: a.Week, Reading: a.Reading, Doc: doc}
	var top, body bytes.Buffer
	if err := h.views.RenderPart(&top, "reader", "reader-article-top", loc, art); err != nil {
		return nil, err
	}
	if err := h.views.RenderPart(&body, "reader", "reader-article-body", loc, art); err != nil {
		return nil, err
	}
	rendered := &renderedArticle{key: key, text: a.Reading.Direction(doc), top: top.Bytes(), body: body.Bytes()}
	if rendered.gzTop, err = deflatePart(rendered.top); err != nil {
		return nil, err
	}
	if rendered.gzBody, err = deflatePart(rendered.body); err != nil {
		return nil, err
	}
	ac.mu.Lock()
	if ac.articles == nil {
		ac.articles = map[articleSlot]*renderedArticle{}
	}
	ac.articles[slot] = rendered
	ac.mu.Unlock()
	return rendered, nil
}

// renderReader writes the reader page: the personal parts from their
// shape's pieces (reader_personal.go) or the templates, around the
// article's parts rendered once, straight into the response's pooled body,
// so that nothing is allocated per view in proportion to the article's
// length. A browser that accepts gzip gets the article's parts compressed
// once (reader_gzip.go).
func (h *handler) renderReader(c *fiber.Ctx, d readerData) error {
	loc := h.localizer(c)
	parts, err := h.readerArticleParts(c.UserContext(), d.Access, loc)
	if err != nil {
		return err
	}
	d.Text = parts.text
	p := &page{Title: d.Access.Reading.Title, Scripts: readerScripts}
	h.fillPage(c, p)
	pw, err := h.personalWriterFor(loc, parts, p, &d)
	if err != nil {
		return err
	}
	// The one page a person may save for offline reading: revalidated on every
	// visit, but not no-store, which the service worker never keeps. Signing
	// out clears it from the device (Clear-Site-Data, offline.js).
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Status(http.StatusOK)
	c.Vary(fiber.HeaderAcceptEncoding)
	if negotiateCoding(c.Get(fiber.HeaderAcceptEncoding), readerCodings) == "gzip" {
		c.Set(fiber.HeaderContentEncoding, "gzip")
		err = writeReaderGzip(c.Response().BodyWriter(), pw, parts)
	} else {
		err = writeReaderPlain(c.Response().BodyWriter(), pw, parts)
	}
	if err != nil {
		c.Response().ResetBody()
		c.Response().Header.Del(fiber.HeaderContentEncoding)
	}
	return err
}

// personalWriter writes one view's personal parts: from its shape's pieces,
// or with the templates when shape is nil.
type personalWriter struct {
	views  *views.Renderer
	loc    *i18n.Localizer
	page   *page
	shape  *personalShape
	values personalValues
}

// personalWriterFor finds the pieces of a view's shape, made on the
// shape's first view.
func (h *handler) personalWriterFor(loc *i18n.Localizer, parts *renderedArticle, p *page, d *readerData) (personalWriter, error) {
	pw := personalWriter{views: h.views, loc: loc, page: p}
	if key, values, ok := shapeOf(p, d); ok {
		shape, err := parts.shapes.lookup(h.views, loc, key, p, d)
		if err != nil || shape != nil {
			pw.shape, pw.values = shape, values
			return pw, err
		}
	}
	// The templates write this view: they read the data from the page.
	p.Data = *d
	return pw, nil
}

// render replaces buf's content with personal part number i.
func (pw *personalWriter) render(buf *bytes.Buffer, i int) error {
	buf.Reset()
	if pw.shape != nil {
		buf.Write(pw.shape.appendPart(buf.AvailableBuffer(), i, &pw.values))
		return nil
	}
	return pw.views.RenderPart(buf, "reader", personalPartNames[i], pw.loc, pw.page)
}

// personalBuffers hold a view's personal parts as they are written.
var personalBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// stitches are the gzip streams of views being written.
var stitches = sync.Pool{New: func() any { return new(gzipStitch) }}

// writeReaderPlain writes the page's parts in order.
func writeReaderPlain(w io.Writer, pw personalWriter, parts *renderedArticle) error {
	buf := personalBuffers.Get().(*bytes.Buffer)
	defer personalBuffers.Put(buf)
	for i, article := range [...][]byte{parts.top, parts.body, nil} {
		if err := pw.render(buf, i); err != nil {
			return err
		}
		if _, err := w.Write(buf.Bytes()); err != nil {
			return err
		}
		if _, err := w.Write(article); err != nil {
			return err
		}
	}
	return nil
}

// writeReaderGzip writes the page as one gzip stream: the personal parts
// stored, the article's as compressed once.
func writeReaderGzip(w io.Writer, pw personalWriter, parts *renderedArticle) error {
	buf := personalBuffers.Get().(*bytes.Buffer)
	defer personalBuffers.Put(buf)
	g := stitches.Get().(*gzipStitch)
	defer stitches.Put(g)
	g.start(w)
	for i, article := range [...]*deflatedPart{&parts.gzTop, &parts.gzBody, nil} {
		if err := pw.render(buf, i); err != nil {
			return err
		}
		g.stored(buf.Bytes())
		if article != nil {
			g.compressed(article)
		}
	}
	return g.close()
}

// readerCodings are the codings the reader page is sent in besides identity.
var readerCodings = []string{"gzip"}

// readerScripts are the reader page's own scripts.
var readerScripts = []string{"js/reader.js"}
