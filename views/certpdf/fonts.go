package certpdf

import (
	"embed"
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
)

// The embedded fonts are DejaVu Serif, DejaVu Serif Italic and DejaVu Sans
// 2.37 (Bitstream Vera licence with public-domain DejaVu changes, see
// fonts/LICENSE-DejaVu.txt). DejaVu Sans is the only one with Arabic.
//
//go:embed fonts/DejaVuSerif.ttf fonts/DejaVuSerif-Italic.ttf fonts/DejaVuSans.ttf
var fontFS embed.FS

// face is one embedded font as registered with fpdf.
type face struct {
	family string // fpdf family name
	file   string // path in fontFS
}

// The faces, in the order text falls back through them.
var (
	serif       = &face{family: "dejavuserif", file: "fonts/DejaVuSerif.ttf"}
	serifItalic = &face{family: "dejavuserifitalic", file: "fonts/DejaVuSerif-Italic.ttf"}
	sans        = &face{family: "dejavusans", file: "fonts/DejaVuSans.ttf"}
	allFaces    = []*face{serif, serifItalic, sans}
)

// fontData holds the embedded bytes and character coverage of every face.
type fontData struct {
	bytes map[*face][]byte
	cover map[*face]map[rune]bool
}

var loadFonts = sync.OnceValues(func() (*fontData, error) {
	d := &fontData{bytes: map[*face][]byte{}, cover: map[*face]map[rune]bool{}}
	for _, f := range allFaces {
		b, err := fontFS.ReadFile(f.file)
		if err != nil {
			return nil, err
		}
		cov, err := cmapCoverage(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.file, err)
		}
		d.bytes[f], d.cover[f] = b, cov
	}
	return d, nil
})

// has reports whether f has a glyph for r.
func (d *fontData) has(f *face, r rune) bool { return d.cover[f][r] }

var errBadFont = errors.New("unsupported font file")

// cmapCoverage returns the characters a TrueType font maps to a glyph other
// than .notdef. Like fpdf, it reads the first format 4 subtable among the
// Unicode (platform 0) and Windows Unicode BMP (3, 1) ones, so it reports
// exactly what fpdf can draw: characters of the Basic Multilingual Plane.
func cmapCoverage(font []byte) (map[rune]bool, error) {
	u16 := func(off int) (int, bool) {
		if off < 0 || off+2 > len(font) {
			return 0, false
		}
		return int(binary.BigEndian.Uint16(font[off:])), true
	}
	u32 := func(off int) (int, bool) {
		if off < 0 || off+4 > len(font) {
			return 0, false
		}
		return int(binary.BigEndian.Uint32(font[off:])), true
	}
	numTables, ok := u16(4)
	if !ok {
		return nil, errBadFont
	}
	cmap := -1
	for i := range numTables {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return nil, errBadFont
		}
		if string(font[rec:rec+4]) == "cmap" {
			cmap, _ = u32(rec + 8)
			break
		}
	}
	if cmap < 0 {
		return nil, errBadFont
	}
	n, ok := u16(cmap + 2)
	if !ok {
		return nil, errBadFont
	}
	sub := -1
	for i := range n {
		rec := cmap + 4 + 8*i
		platform, ok1 := u16(rec)
		encoding, ok2 := u16(rec + 2)
		off, ok3 := u32(rec + 4)
		if !ok1 || !ok2 || !ok3 {
			return nil, errBadFont
		}
		if platform != 0 && (platform != 3 || encoding != 1) {
			continue
		}
		if format, ok := u16(cmap + off); ok && format == 4 {
			sub = cmap + off
			break
		}
	}
	if sub < 0 {
		return nil, errBadFont
	}
	segX2, ok := u16(sub + 6)
	if !ok || segX2%2 != 0 {
		return nil, errBadFont
	}
	ends, starts := sub+14, sub+16+segX2
	deltas, rangeOffs := starts+segX2, starts+2*segX2
	cov := make(map[rune]bool)
	for s := 0; s < segX2; s += 2 {
		end, ok1 := u16(ends + s)
		start, ok2 := u16(starts + s)
		delta, ok3 := u16(deltas + s)
		ro, ok4 := u16(rangeOffs + s)
		if !ok1 || !ok2 || !ok3 || !ok4 {
			return nil, errBadFont
		}
		for c := start; c <= end && c != 0xFFFF; c++ {
			glyph := 0
			if ro == 0 {
				glyph = (c + delta) & 0xFFFF
			} else if g, ok := u16(rangeOffs + s + ro + 2*(c-start)); ok && g != 0 {
				glyph = (g + delta) & 0xFFFF
			}
			if glyph != 0 {
				cov[rune(c)] = true
			}
		}
	}
	return cov, nil
}
