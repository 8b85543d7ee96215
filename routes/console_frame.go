package routes

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"courseportal/models"
	"courseportal/views"
	"courseportal/views/i18n"
)

// Every console page sits in the same frame: the layout's head (the site's
// header, its menu, the flash) and foot (the footer, the language
// selector), and on a page whose content is written in Go (the insight
// pages) the console's menu and the course header around it. A frame
// differs from one view to the next in a few values only: the CSRF token,
// the offline key and session, the title, the description, the flash's
// message, the page's address, the course's title and slug, and the body
// written in Go. Everything else it shows makes its shape: the templates
// render each shape once with markers in place of the values, cut at the
// markers into pieces (views.CutAtMarkers), and a view writes the pieces
// with its own values between them, escaped as html/template escapes them.
// Each shape is rendered a second time with values that need escaping and
// kept only if the pieces give the same bytes; otherwise the templates
// write that shape on every view.

// frameSlot is one of a view's own values in the frame.
type frameSlot uint8

const (
	frameCSRF frameSlot = iota
	frameOfflineKey
	frameOfflineSession
	frameTitle
	frameDescription
	frameFlash
	frameHere
	frameCourseTitle
	// frameCourseSlug sits in URLs: only plain slugs, which no escaping
	// changes, are written from pieces.
	frameCourseSlug
	// frameBody is the page's content written in Go, written as it is.
	frameBody
	frameSlotCount
)

// frameValues are one view's values by slot.
type frameValues [frameSlotCount]string

// Parts of a frame: the layout's head and foot around content the
// templates write, or the whole page when its content is written in Go.
var (
	frameAround = []string{"layout-head", "layout-foot"}
	frameWhole  = []string{"layout"}
)

// writtenContent is a console page whose content below the course header
// is written in Go (its Body): its template adds the console's menu and
// the course header only, so the whole page comes from pieces.
type writtenContent interface {
	// framing is the page's course and tab, and its body.
	framing() (adminPage, template.HTML)
	// framed is the page's data with only these: all the template reads.
	framed(a adminPage, body template.HTML) any
}

// frameKey is everything a console page's frame shows besides a view's
// values.
type frameKey struct {
	lang, page                                      string
	whole                                           bool
	title, description, narrow                      bool
	signedIn, staff, admin                          bool
	offlineKey, offlineSession, hasFlash, published bool
	flashKind, scripts, tab                         string
	contact                                         models.Contact
}

// frameOf is a console page's frame key and values; false when pieces
// cannot write its frame.
func frameOf(name string, loc *i18n.Localizer, p *page) (frameKey, frameValues, bool) {
	if !strings.HasPrefix(name, "admin_") {
		return frameKey{}, frameValues{}, false
	}
	k := frameKey{lang: loc.Code(), page: name, title: p.Title != "", description: p.Description != "", narrow: p.Narrow,
		signedIn: p.User != nil, staff: p.User.IsStaff(), admin: p.User.IsAdmin(),
		offlineKey: p.OfflineKey != "", offlineSession: p.OfflineSession != "", hasFlash: p.Flash != nil,
		scripts: strings.Join(p.Scripts, "\x00"), contact: p.Contact}
	v := frameValues{frameCSRF: p.CSRF, frameOfflineKey: p.OfflineKey, frameOfflineSession: p.OfflineSession,
		frameTitle: p.Title, frameDescription: p.Description, frameHere: p.Here}
	if p.Flash != nil {
		k.flashKind, v[frameFlash] = p.Flash.Kind, p.Flash.Message
	}
	if w, ok := p.Data.(writtenContent); ok {
		a, body := w.framing()
		if a.Course != nil && views.IsPlain(a.Course.Slug) {
			k.whole, k.published, k.tab = true, a.Course.Published, a.Tab
			v[frameCourseTitle], v[frameCourseSlug], v[frameBody] = a.Course.Title, a.Course.Slug, string(body)
		}
	}
	return k, v, true
}

// frameShape is one shape's parts as pieces.
type frameShape struct {
	parts [][]views.Piece
}

// appendPart appends part number i with a view's values.
func (s *frameShape) appendPart(dst []byte, i int, v *frameValues) []byte {
	return views.AppendPieces(dst, s.parts[i], v[:])
}

// frameShapes keeps the console's frames. A nil shape is one the
// templates write.
type frameShapes struct {
	views.Shapes[frameKey, *frameShape]
}

// maxFrameShapes bounds the shapes kept: pages and languages times the
// shapes of the layout and the course header.
const maxFrameShapes = 256

// newFrameShapes is an empty store of frames.
func newFrameShapes() *frameShapes {
	return &frameShapes{views.Shapes[frameKey, *frameShape]{Most: maxFrameShapes}}
}

// lookup returns a shape's pieces, made on its first view; nil when the
// templates write it.
func (fs *frameShapes) lookup(v *views.Renderer, loc *i18n.Localizer, key frameKey, p *page) (*frameShape, error) {
	return fs.Get(key, func() (*frameShape, error) { return newFrameShape(v, loc, key, p) })
}

// frameParts are the parts a shape is cut into.
func (k *frameKey) frameParts() []string {
	if k.whole {
		return frameWhole
	}
	return frameAround
}

// newFrameShape renders a view's shape with markers and cuts it into
// pieces; nil when the pieces do not give the templates' bytes for values
// that need escaping.
func newFrameShape(v *views.Renderer, loc *i18n.Localizer, key frameKey, p *page) (*frameShape, error) {
	tag, err := views.MarkerTag()
	if err != nil {
		return nil, fmt.Errorf("console frame: %w", err)
	}
	var plain, probe frameValues
	for s := range frameSlotCount {
		plain[s] = views.Marker(tag, int(s), false)
		probe[s] = views.Marker(tag, int(s), s != frameCourseSlug)
	}
	shape := &frameShape{}
	var out, check bytes.Buffer
	for i, part := range key.frameParts() {
		out.Reset()
		if err := v.RenderPart(&out, key.page, part, loc, markedFrame(p, key, &plain)); err != nil {
			return nil, err
		}
		// The body is written in Go, escaped already.
		shape.parts = append(shape.parts, views.TrustSlot(views.CutAtMarkers(out.Bytes(), plain[:]), int(frameBody)))
		out.Reset()
		if err := v.RenderPart(&out, key.page, part, loc, markedFrame(p, key, &probe)); err != nil {
			return nil, err
		}
		if !bytes.Equal(shape.appendPart(check.AvailableBuffer()[:0], i, &probe), out.Bytes()) {
			return nil, nil
		}
	}
	return shape, nil
}

// markedFrame is a view's page with markers in place of its values.
func markedFrame(p *page, key frameKey, m *frameValues) *page {
	mp := *p
	mp.CSRF, mp.Title, mp.Description, mp.Here = m[frameCSRF], m[frameTitle], m[frameDescription], m[frameHere]
	if !key.title {
		mp.Title = ""
	}
	if !key.description {
		mp.Description = ""
	}
	if key.offlineKey {
		mp.OfflineKey = m[frameOfflineKey]
	}
	if key.offlineSession {
		mp.OfflineSession = m[frameOfflineSession]
	}
	if p.Flash != nil {
		mp.Flash = &flash{Kind: p.Flash.Kind, Message: m[frameFlash]}
	}
	if w, ok := p.Data.(writtenContent); ok && key.whole {
		a, _ := w.framing()
		course := &models.Course{Slug: m[frameCourseSlug], Title: m[frameCourseTitle], Published: a.Course.Published}
		mp.Data = w.framed(adminPage{Course: course, Tab: a.Tab}, template.HTML(m[frameBody])) //nolint:gosec // a marker
	}
	return &mp
}
