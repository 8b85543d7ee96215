package routes

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"strconv"
	"time"

	"courseportal/models"
	"courseportal/views"
	"courseportal/views/i18n"
)

// The reader page's personal parts (reader-head, reader-article-open and
// reader-tail) differ from one view to the next in a few values only: the
// CSRF token, the offline key and session, the page's address, the percent
// read, the position, the certificate's code and when "Mark as complete"
// opens. Everything else they show (the reading, whether it is done or has
// a check, the readings around, the flash, the footer's contact …) makes
// the page's shape. The templates render each shape once with markers in
// place of the values; their output, cut at the markers, is kept as pieces,
// and a view writes the pieces with its own values escaped between them as
// html/template escapes them. Each shape is rendered a second time with
// values that need escaping, and kept only if the pieces give the same
// bytes: a marker that landed where HTML escaping is not what the template
// does (a URL, a script) makes the templates write that shape on every view.

// personalSlot is one of a view's own values in the personal parts.
type personalSlot uint8

const (
	slotCSRF personalSlot = iota
	slotOfflineKey
	slotOfflineSession
	slotHere
	slotPosition
	slotPercent
	// slotCertificate sits in a URL: only codes of letters, digits and
	// dashes, which no escaping changes, are written from pieces.
	slotCertificate
	slotCompletable
	slotCount
)

// personalValues are one view's values by slot, as text to be escaped.
type personalValues [slotCount]string

// completableLayout is how reader-tail writes the time "Mark as complete"
// opens (the template's own layout).
const completableLayout = "15:04 MST"

// personalPartNames are the personal parts, in the order of the page.
var personalPartNames = [...]string{"reader-head", "reader-article-open", "reader-tail"}

// personalShape is one shape's personal parts as pieces.
type personalShape struct {
	parts [len(personalPartNames)][]views.Piece
}

// appendPart appends part number i with a view's values.
func (s *personalShape) appendPart(dst []byte, i int, v *personalValues) []byte {
	return views.AppendPieces(dst, s.parts[i], v[:])
}

// readerShape is everything the personal parts show besides a view's
// values. renderReader always gives the same scripts, so they are not in it.
type readerShape struct {
	title, description, courseSlug, readingSlug         string
	text                                                models.TextDirection
	paragraphs                                          int
	minimumOpen                                         time.Duration
	narrow, signedIn, staff, offlineKey, offlineSession bool
	hasFlash                                            bool
	flash                                               flash
	done, check, certificate, completable               bool
	hasPrev, hasNext, nextOpen                          bool
	prev, next                                          models.SyllabusEntry
	contact                                             models.Contact
}

// shapeOf is a view's shape and values; false when pieces cannot write it.
func shapeOf(p *page, d *readerData) (readerShape, personalValues, bool) {
	a := d.Access
	if a == nil || a.Course == nil || a.Reading == nil || !views.IsPlain(a.CertificateCode) {
		return readerShape{}, personalValues{}, false
	}
	s := readerShape{title: p.Title, description: p.Description, courseSlug: a.Course.Slug, readingSlug: a.Reading.Slug,
		text: d.Text, paragraphs: a.Reading.ParagraphCount, minimumOpen: a.Reading.MinimumOpen(),
		narrow: p.Narrow, signedIn: p.User != nil, staff: p.User != nil && p.User.IsStaff(),
		offlineKey: p.OfflineKey != "", offlineSession: p.OfflineSession != "", hasFlash: p.Flash != nil,
		done: d.Done, check: d.HasCheck(), certificate: a.CertificateCode != "", completable: !d.CompletableAt.IsZero(),
		hasPrev: d.Prev != nil, hasNext: d.Next != nil, nextOpen: d.NextOpen, contact: p.Contact}
	if p.Flash != nil {
		s.flash = *p.Flash
	}
	if d.Prev != nil {
		s.prev = *d.Prev
	}
	if d.Next != nil {
		s.next = *d.Next
	}
	v := personalValues{slotCSRF: p.CSRF, slotOfflineKey: p.OfflineKey, slotOfflineSession: p.OfflineSession,
		slotHere: p.Here, slotPosition: d.Position, slotPercent: percentText(d.Percent), slotCertificate: a.CertificateCode}
	if s.completable {
		v[slotCompletable] = d.CompletableAt.Format(completableLayout)
	}
	return s, v, true
}

// percents are the texts of 0 to 100, so that a view spells its percent
// without allocating.
var percents = func() (texts [101]string) {
	for i := range texts {
		texts[i] = strconv.Itoa(i)
	}
	return texts
}()

func percentText(n int) string {
	if n >= 0 && n < len(percents) {
		return percents[n]
	}
	return strconv.Itoa(n)
}

// personalShapes keeps one reading version's shapes in one language, up
// to views.Shapes' bound. A nil shape is one the templates write.
type personalShapes struct {
	views.Shapes[readerShape, *personalShape]
}

// lookup returns a shape's pieces, made on its first view; nil when the
// templates write it.
func (ps *personalShapes) lookup(v *views.Renderer, loc *i18n.Localizer, key readerShape, p *page,
	d *readerData) (*personalShape, error) {
	return ps.Get(key, func() (*personalShape, error) { return newPersonalShape(v, loc, p, d) })
}

// personalMarkers are values put in place of a view's to render a shape.
type personalMarkers struct {
	values  personalValues
	percent int
	clock   time.Time
}

// draw makes markers no page holds by chance (a random nonce). Escaped
// ones start with every character HTML escaping replaces, except in the
// certificate's slot, which takes plain codes only.
func (m *personalMarkers) draw(escaped bool) error {
	tag, err := views.MarkerTag()
	if err != nil {
		return fmt.Errorf("reader: %w", err)
	}
	for s := range slotCount {
		m.values[s] = views.Marker(tag, int(s), escaped && s != slotCertificate)
	}
	nonce, _ := hex.DecodeString(tag)
	m.percent = int(1e17 + binary.LittleEndian.Uint64(nonce)%8e17)
	m.values[slotPercent] = strconv.Itoa(m.percent)
	m.clock = time.Date(2000, 1, 1, 0, 0, 0, 0, time.FixedZone(m.values[slotCompletable], 0))
	m.values[slotCompletable] = m.clock.Format(completableLayout)
	return nil
}

// marked is the page and data of a view with m's values in place of its own.
func (m *personalMarkers) marked(p *page, d *readerData) *page {
	mp, md, a := *p, *d, *d.Access
	mp.CSRF, mp.Here = m.values[slotCSRF], m.values[slotHere]
	if mp.OfflineKey != "" {
		mp.OfflineKey = m.values[slotOfflineKey]
	}
	if mp.OfflineSession != "" {
		mp.OfflineSession = m.values[slotOfflineSession]
	}
	if a.CertificateCode != "" {
		a.CertificateCode = m.values[slotCertificate]
	}
	md.Access, md.Percent, md.Position = &a, m.percent, m.values[slotPosition]
	if !md.CompletableAt.IsZero() {
		md.CompletableAt = m.clock
	}
	mp.Data = md
	return &mp
}

// newPersonalShape renders a view's shape with markers and cuts it into
// pieces; nil when the pieces do not give the templates' bytes for values
// that need escaping.
func newPersonalShape(v *views.Renderer, loc *i18n.Localizer, p *page, d *readerData) (*personalShape, error) {
	var plain, probe personalMarkers
	if err := plain.draw(false); err != nil {
		return nil, err
	}
	if err := probe.draw(true); err != nil {
		return nil, err
	}
	shape := &personalShape{}
	var out, check bytes.Buffer
	for i, part := range personalPartNames {
		out.Reset()
		if err := v.RenderPart(&out, "reader", part, loc, plain.marked(p, d)); err != nil {
			return nil, err
		}
		shape.parts[i] = views.CutAtMarkers(out.Bytes(), plain.values[:])
		out.Reset()
		if err := v.RenderPart(&out, "reader", part, loc, probe.marked(p, d)); err != nil {
			return nil, err
		}
		if !bytes.Equal(shape.appendPart(check.AvailableBuffer()[:0], i, &probe.values), out.Bytes()) {
			return nil, nil
		}
	}
	return shape, nil
}
