package certpdf

import (
	"slices"
	"unicode"
)

// Arabic shaping into Unicode presentation forms.
//
// fpdf draws one glyph per character through the font's cmap and does no
// OpenType shaping, so Arabic letters would come out in their isolated
// forms, unconnected. shapeArabic replaces each letter by the presentation
// form (isolated, final, initial or medial; Unicode blocks FB50–FDFF and
// FE70–FEFF) that its neighbours call for, following the joining rules of
// the Unicode Standard chapter 9.2, and forms the mandatory lam-alef
// ligatures. DejaVu Sans has glyphs for these forms. A letter for which the
// font lacks any of its forms is left in its nominal (isolated-looking) form
// and treated as non-joining, so its neighbours end cleanly instead of
// reaching for a connection that is not drawn; a few letters the font lacks
// altogether are replaced by a look-alike (see lookalike).

// joining is a Unicode Joining_Type, as far as shaping needs it.
type joining uint8

const (
	joinNone        joining = iota // U: does not join
	joinRight                      // R: joins the preceding letter only
	joinDual                       // D: joins on both sides
	joinCausing                    // C: tatweel, zero-width joiner
	joinTransparent                // T: marks, skipped when finding neighbours
)

// Indices into a letter's forms.
const (
	formIsolated = iota
	formFinal
	formInitial
	formMedial
)

// arabicForms maps a letter to its presentation forms. Right-joining letters
// have no initial or medial form (zero).
var arabicForms = func() map[rune][4]rune {
	m := make(map[rune][4]rune)
	// letter, first presentation form, number of forms (2: isolated, final;
	// 4: isolated, final, initial, medial — the order of the Unicode charts).
	for _, e := range [...]struct {
		letter, first rune
		n             int
	}{
		// Arabic Presentation Forms-B.
		{0x0622, 0xFE81, 2}, {0x0623, 0xFE83, 2}, {0x0624, 0xFE85, 2},
		{0x0625, 0xFE87, 2}, {0x0626, 0xFE89, 4}, {0x0627, 0xFE8D, 2},
		{0x0628, 0xFE8F, 4}, {0x0629, 0xFE93, 2}, {0x062A, 0xFE95, 4},
		{0x062B, 0xFE99, 4}, {0x062C, 0xFE9D, 4}, {0x062D, 0xFEA1, 4},
		{0x062E, 0xFEA5, 4}, {0x062F, 0xFEA9, 2}, {0x0630, 0xFEAB, 2},
		{0x0631, 0xFEAD, 2}, {0x0632, 0xFEAF, 2}, {0x0633, 0xFEB1, 4},
		{0x0634, 0xFEB5, 4}, {0x0635, 0xFEB9, 4}, {0x0636, 0xFEBD, 4},
		{0x0637, 0xFEC1, 4}, {0x0638, 0xFEC5, 4}, {0x0639, 0xFEC9, 4},
		{0x063A, 0xFECD, 4}, {0x0641, 0xFED1, 4}, {0x0642, 0xFED5, 4},
		{0x0643, 0xFED9, 4}, {0x0644, 0xFEDD, 4}, {0x0645, 0xFEE1, 4},
		{0x0646, 0xFEE5, 4}, {0x0647, 0xFEE9, 4}, {0x0648, 0xFEED, 2},
		{0x064A, 0xFEF1, 4},
		// Arabic Presentation Forms-A: Persian, Dari, Urdu and others.
		{0x0671, 0xFB50, 2}, {0x067B, 0xFB52, 4}, {0x067E, 0xFB56, 4},
		{0x0680, 0xFB5A, 4}, {0x067A, 0xFB5E, 4}, {0x067F, 0xFB62, 4},
		{0x0679, 0xFB66, 4}, {0x06A4, 0xFB6A, 4}, {0x06A6, 0xFB6E, 4},
		{0x0684, 0xFB72, 4}, {0x0683, 0xFB76, 4}, {0x0686, 0xFB7A, 4},
		{0x0687, 0xFB7E, 4}, {0x068D, 0xFB82, 2}, {0x068C, 0xFB84, 2},
		{0x068E, 0xFB86, 2}, {0x0688, 0xFB88, 2}, {0x0698, 0xFB8A, 2},
		{0x0691, 0xFB8C, 2}, {0x06A9, 0xFB8E, 4}, {0x06AF, 0xFB92, 4},
		{0x06B3, 0xFB96, 4}, {0x06B1, 0xFB9A, 4}, {0x06BA, 0xFB9E, 2},
		{0x06BB, 0xFBA0, 4}, {0x06C0, 0xFBA4, 2}, {0x06C1, 0xFBA6, 4},
		{0x06BE, 0xFBAA, 4}, {0x06D2, 0xFBAE, 2}, {0x06D3, 0xFBB0, 2},
		{0x06AD, 0xFBD3, 4}, {0x06C7, 0xFBD7, 2}, {0x06C6, 0xFBD9, 2},
		{0x06C8, 0xFBDB, 2}, {0x06CB, 0xFBDE, 2}, {0x06C5, 0xFBE0, 2},
		{0x06C9, 0xFBE2, 2}, {0x06D0, 0xFBE4, 4}, {0x06CC, 0xFBFC, 4},
	} {
		var f [4]rune
		for i := range e.n {
			f[i] = e.first + rune(i)
		}
		m[e.letter] = f
	}
	// Alef maksura is dual-joining; its initial and medial forms are in
	// Presentation Forms-A, its isolated and final ones in Forms-B.
	m[0x0649] = [4]rune{0xFEEF, 0xFEF0, 0xFBE8, 0xFBE9}
	return m
}()

// lookalike maps letters that DejaVu Sans lacks (Urdu and Pashto ones) to
// the closest letter it has, so that they are drawn readably and joined
// rather than as U+FFFD.
var lookalike = map[rune]rune{
	0x06C0: 0x0647, // heh with yeh above → heh
	0x06C1: 0x0647, // heh goal (Urdu) → heh
	0x06C2: 0x0647, // heh goal with hamza above → heh
	0x06C3: 0x0629, // teh marbuta goal → teh marbuta
	0x06CD: 0x06CC, // yeh with tail (Pashto) → Farsi yeh
	0x06D2: 0x06CC, // yeh barree (Urdu) → Farsi yeh
	0x06D3: 0x0626, // yeh barree with hamza above → yeh with hamza above
}

// lamAlef maps the alef that follows a lam to the isolated form of their
// ligature; the final form is the next code point.
var lamAlef = map[rune]rune{0x0622: 0xFEF5, 0x0623: 0xFEF7, 0x0625: 0xFEF9, 0x0627: 0xFEFB}

const (
	lam     = 0x0644
	tatweel = 0x0640
	zwj     = 0x200D // zero-width joiner
	zwnj    = 0x200C // zero-width non-joiner, common in Persian
)

// shaper shapes Arabic text for one font.
type shaper struct {
	has func(rune) bool // whether the font draws a character
}

// joiningType returns how r joins, given what the font can draw.
func (s shaper) joiningType(r rune) joining {
	switch {
	case r == tatweel && s.has(r), r == zwj:
		return joinCausing
	case unicode.In(r, unicode.Mn, unicode.Me) || r == 0x200B || r == 0x2060:
		return joinTransparent
	}
	f, ok := arabicForms[r]
	if !ok {
		return joinNone
	}
	n := 2
	if f[formInitial] != 0 {
		n = 4
	}
	for _, p := range f[:n] {
		if !s.has(p) {
			return joinNone
		}
	}
	if n == 4 {
		return joinDual
	}
	return joinRight
}

// shape returns text (in logical order) with Arabic letters replaced by
// their contextual presentation forms. Other characters are unchanged.
func (s shaper) shape(text []rune) []rune {
	text = slices.Clone(text)
	types := make([]joining, len(text))
	for i, r := range text {
		if l, ok := lookalike[r]; ok && !s.has(r) && s.has(l) {
			text[i] = l
		}
		types[i] = s.joiningType(text[i])
	}
	// neighbour returns the index of the nearest non-transparent character
	// from i in direction step, or -1.
	neighbour := func(i, step int) int {
		for j := i + step; j >= 0 && j < len(text); j += step {
			if types[j] != joinTransparent {
				return j
			}
		}
		return -1
	}
	joinsBefore := func(i int) bool { // i connects to the character before it
		p := neighbour(i, -1)
		return p >= 0 && (types[i] == joinRight || types[i] == joinDual || types[i] == joinCausing) &&
			(types[p] == joinDual || types[p] == joinCausing)
	}

	out := make([]rune, 0, len(text))
	for i := 0; i < len(text); i++ {
		r := text[i]
		forms, isLetter := arabicForms[r]
		if !isLetter || (types[i] != joinDual && types[i] != joinRight) {
			out = append(out, r)
			continue
		}
		before := joinsBefore(i)
		if r == lam {
			if n := neighbour(i, +1); n >= 0 {
				if lig, ok := lamAlef[text[n]]; ok && s.has(lig) && s.has(lig+1) {
					if before {
						lig++
					}
					out = append(out, lig)
					out = append(out, text[i+1:n]...) // marks on the lam
					i = n
					continue
				}
			}
		}
		n := neighbour(i, +1)
		after := types[i] == joinDual && n >= 0 && joinsBefore(n)
		switch {
		case before && after:
			out = append(out, forms[formMedial])
		case before:
			out = append(out, forms[formFinal])
		case after:
			out = append(out, forms[formInitial])
		default:
			out = append(out, forms[formIsolated])
		}
	}
	return out
}
