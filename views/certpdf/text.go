package certpdf

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"golang.org/x/text/unicode/norm"
)

// replacement is drawn for characters that no embedded font has.
const replacement = '\uFFFD'

// segment is a piece of a line drawn with one face.
type segment struct {
	face *face
	text string
}

// typesetter turns text into drawable lines for one document.
type typesetter struct {
	pdf   *fpdf.Fpdf
	fonts *fontData
}

// clean makes arbitrary text safe to draw: invalid UTF-8 becomes U+FFFD,
// the text is NFC-normalised (so "e" + combining diaeresis is the single
// glyph "ë"), white space runs become one space, and control and format
// characters other than the Arabic joiners ZWJ and ZWNJ are dropped.
func clean(s string) []rune {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, string(replacement))
	}
	s = norm.NFC.String(s)
	out := make([]rune, 0, len(s))
	space := false
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			space = len(out) > 0
			continue
		case r == zwj || r == zwnj:
		case unicode.In(r, unicode.Cc, unicode.Cf, unicode.Co, unicode.Cs):
			continue
		}
		if space {
			out = append(out, ' ')
			space = false
		}
		out = append(out, r)
	}
	return out
}

// segments lays out one logical line: Arabic shaping, bidi reordering,
// then a face for every character — primary if it has the glyph, else
// DejaVu Sans, else primary's U+FFFD. Consecutive characters sharing a face
// form one segment.
func (t *typesetter) segments(line []rune, primary *face) []segment {
	shaped := shaper{has: func(r rune) bool { return t.fonts.has(sans, r) }}.shape(line)
	shaped = deleteJoiners(shaped)
	visual := visualOrder(shaped)

	var segs []segment
	var cur *face
	var b strings.Builder
	for _, r := range visual {
		f := primary
		switch {
		case t.fonts.has(primary, r):
		case t.fonts.has(sans, r):
			f = sans
		default:
			r = replacement
		}
		if f != cur && b.Len() > 0 {
			segs = append(segs, segment{cur, b.String()})
			b.Reset()
		}
		cur = f
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		segs = append(segs, segment{cur, b.String()})
	}
	return segs
}

// deleteJoiners removes the zero-width joiners once shaping has used
// them.
func deleteJoiners(r []rune) []rune {
	out := r[:0]
	for _, c := range r {
		if c != zwj && c != zwnj {
			out = append(out, c)
		}
	}
	return out
}

// width measures segments at size points, in millimetres, with track em
// of extra space between characters.
func (t *typesetter) width(segs []segment, size, track float64) float64 {
	w, n := 0.0, 0
	for _, s := range segs {
		t.pdf.SetFont(s.face.family, "", size)
		w += t.pdf.GetStringWidth(s.text)
		n += utf8.RuneCountInString(s.text)
	}
	if n > 1 {
		w += track * size * ptToMM * float64(n-1)
	}
	return w
}

// draw draws segments at size points with their left end at x and their
// baseline at y, with track em of extra space between characters.
func (t *typesetter) draw(segs []segment, size, track, x, y float64) {
	spacing := track * size * ptToMM
	if spacing != 0 {
		t.pdf.RawWriteStr(fmt.Sprintf("%.3f Tc\n", track*size))
		defer t.pdf.RawWriteStr("0 Tc\n")
	}
	for _, s := range segs {
		t.pdf.SetFont(s.face.family, "", size)
		t.pdf.Text(x, y, s.text)
		x += t.pdf.GetStringWidth(s.text) + spacing*float64(utf8.RuneCountInString(s.text))
	}
}

// tracked returns track, or 0 if segs hold right-to-left text, whose
// letters join and must not be spaced apart.
func tracked(segs []segment, track float64) float64 {
	for _, s := range segs {
		if hasRTL([]rune(s.text)) {
			return 0
		}
	}
	return track
}

// wrap breaks line into lines no wider than maxW at size points, at spaces
// where it can and between characters where a single word is too wide.
func (t *typesetter) wrap(line []rune, primary *face, size, track, maxW float64) [][]rune {
	fits := func(r []rune) bool {
		segs := t.segments(r, primary)
		return t.width(segs, size, tracked(segs, track)) <= maxW
	}
	var lines [][]rune
	var cur []rune
	for _, word := range splitWords(line) {
		cand := word
		if len(cur) > 0 {
			cand = append(append(append([]rune{}, cur...), ' '), word...)
		}
		if fits(cand) {
			cur = cand
			continue
		}
		if len(cur) > 0 {
			lines = append(lines, cur)
		}
		for !fits(word) {
			n := 1
			for n < len(word) && fits(word[:n+1]) {
				n++
			}
			lines = append(lines, word[:n])
			word = word[n:]
		}
		cur = word
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return lines
}

func splitWords(line []rune) [][]rune {
	var words [][]rune
	for _, w := range strings.Fields(string(line)) {
		words = append(words, []rune(w))
	}
	return words
}

// box is a horizontally centred text area.
type box struct {
	cx, top, w, h float64 // centre x, top, width and height in mm
}

// fit describes how to set variable text in a box.
type fit struct {
	face             *face
	maxSize, minSize float64 // point sizes tried, largest first, on one line
	wrapMin          float64 // smallest size tried when wrapping (≤ minSize)
	leading          float64 // line height as a multiple of the size
	tracking         float64 // extra space between letters, in em
}

const ptToMM = 25.4 / 72

// maxRunes bounds the text fitText considers, keeping its work small.
const maxRunes = 1000

// fitText sets text in b: on one line at the largest size from maxSize down
// to minSize that fits, else wrapped over as many lines as fit at the
// largest size down to wrapMin, else wrapped at wrapMin and cut to the
// lines that fit, the last ending in "…". It returns the lines drawn and
// the size used. It never fails: empty text draws nothing.
func (t *typesetter) fitText(text string, b box, f fit) (lines [][]segment, size float64) {
	line := clean(text)
	if len(line) == 0 {
		return nil, f.maxSize
	}
	if len(line) > maxRunes {
		// Far more than any box holds; the rest would be cut anyway.
		line = line[:maxRunes]
	}
	for size = f.maxSize; size >= f.minSize; size-- {
		segs := t.segments(line, f.face)
		if t.width(segs, size, tracked(segs, f.tracking)) <= b.w && size*ptToMM*f.leading <= b.h+0.01 {
			lines = [][]segment{segs}
			t.drawLines(lines, size, b, f)
			return lines, size
		}
	}
	for size = f.minSize; size >= f.wrapMin; size-- {
		wrapped := t.wrap(line, f.face, size, f.tracking, b.w)
		if float64(len(wrapped))*size*ptToMM*f.leading <= b.h+0.01 {
			lines = t.segmentLines(wrapped, f.face)
			t.drawLines(lines, size, b, f)
			return lines, size
		}
	}
	size = f.wrapMin
	wrapped := t.wrap(line, f.face, size, f.tracking, b.w)
	maxLines := max(1, int(b.h/(size*ptToMM*f.leading)))
	if len(wrapped) > maxLines {
		wrapped = wrapped[:maxLines]
		last := wrapped[maxLines-1]
		for len(last) > 0 {
			segs := t.segments(append(last[:len(last):len(last)], '…'), f.face)
			if t.width(segs, size, tracked(segs, f.tracking)) <= b.w {
				break
			}
			last = last[:len(last)-1]
		}
		wrapped[maxLines-1] = append(last[:len(last):len(last)], '…')
	}
	lines = t.segmentLines(wrapped, f.face)
	t.drawLines(lines, size, b, f)
	return lines, size
}

func (t *typesetter) segmentLines(lines [][]rune, primary *face) [][]segment {
	out := make([][]segment, len(lines))
	for i, l := range lines {
		out[i] = t.segments(l, primary)
	}
	return out
}

// drawLines centres lines horizontally and the block vertically in b.
func (t *typesetter) drawLines(lines [][]segment, size float64, b box, f fit) {
	lh := size * ptToMM * f.leading
	top := b.top + (b.h-lh*float64(len(lines)))/2
	for i, segs := range lines {
		// Baseline: about 0.78 of the line height below its top for DejaVu
		// (ascent 0.93 em, descent 0.24 em) with the extra leading split.
		base := top + lh*float64(i) + (lh-size*ptToMM)/2 + size*ptToMM*0.8
		track := tracked(segs, f.tracking)
		t.draw(segs, size, track, b.cx-t.width(segs, size, track)/2, base)
	}
}

// centred draws a short fixed line of text centred on cx with its baseline
// at y.
func (t *typesetter) centred(text string, primary *face, size, cx, y float64) {
	segs := t.segments(clean(text), primary)
	t.draw(segs, size, 0, cx-t.width(segs, size, 0)/2, y)
}
