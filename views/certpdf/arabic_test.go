package certpdf

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
	"golang.org/x/text/unicode/runenames"
)

func dejaVuShaper(t *testing.T) shaper {
	t.Helper()
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	return shaper{has: func(r rune) bool { return fonts.has(sans, r) }}
}

func hex(rs []rune) string {
	var b strings.Builder
	for i, r := range rs {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%04X", r)
	}
	return b.String()
}

// The presentation-form table agrees with the Unicode character names and
// decompositions.
func TestArabicFormsTable(t *testing.T) {
	suffix := [4]string{" ISOLATED FORM", " FINAL FORM", " INITIAL FORM", " MEDIAL FORM"}
	for letter, forms := range arabicForms {
		for i, f := range forms {
			if f == 0 {
				continue
			}
			if name := runenames.Name(f); !strings.HasSuffix(name, suffix[i]) {
				t.Errorf("U+%04X form %d is U+%04X %q, want a name ending in %q", letter, i, f, name, suffix[i])
			}
			if got := norm.NFKD.String(string(f)); got != norm.NFKD.String(string(letter)) {
				t.Errorf("U+%04X form %d U+%04X decomposes to %q, not to the letter", letter, i, f, got)
			}
		}
	}
	for alef, lig := range lamAlef {
		want := "\u0644" + string(alef)
		for i, r := range []rune{lig, lig + 1} {
			if got := norm.NFKC.String(string(r)); got != norm.NFKC.String(want) {
				t.Errorf("lam-alef U+%04X (%s) decomposes to %q, want %q", r, suffix[i], got, want)
			}
		}
	}
}

// Persian/Dari letters must all be shaped with DejaVu Sans.
func TestDejaVuJoinsPersian(t *testing.T) {
	s := dejaVuShaper(t)
	for _, r := range "ابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهیةأإآؤئ" {
		if jt := s.joiningType(r); jt != joinDual && jt != joinRight {
			t.Errorf("%c U+%04X has joining type %d with DejaVu Sans, want it to join", r, r, jt)
		}
	}
}

func TestShape(t *testing.T) {
	s := dejaVuShaper(t)
	tests := []struct {
		in   string
		want []rune
	}{
		{"بيت", []rune{0xFE91, 0xFEF4, 0xFE96}},
		{"احمد", []rune{0xFE8D, 0xFEA3, 0xFEE4, 0xFEAA}},
		{"رحیمی", []rune{0xFEAD, 0xFEA3, 0xFBFF, 0xFEE4, 0xFBFD}},
		{"لا", []rune{0xFEFB}},
		{"سلام", []rune{0xFEB3, 0xFEFC, 0xFEE1}},
		{"ی", []rune{0xFBFC}},
		{"پدر", []rune{0xFB58, 0xFEAA, 0xFEAD}},
		{"گرگ", []rune{0xFB94, 0xFEAE, 0xFB92}},
		// ZWNJ stops joining: می‌خواهم.
		{"می\u200cخواهم", []rune{0xFEE3, 0xFBFD, 0x200C, 0xFEA7, 0xFEEE, 0xFE8D, 0xFEEB, 0xFEE2}},
		// Marks are transparent: the meem stays initial under its damma.
		{"\u0645\u064F\u062D\u064E\u0645\u0651\u064E\u062F", []rune{0xFEE3, 0x064F, 0xFEA4, 0x064E, 0xFEE4, 0x0651, 0x064E, 0xFEAA}},
		// Tatweel joins on both sides.
		{"مـم", []rune{0xFEE3, 0x0640, 0xFEE2}},
		// Latin and digits are untouched, and break joining.
		{"A1ب", []rune{'A', '1', 0xFE8F}},
		// Letters without presentation forms stay nominal and do not join.
		{"ښکل", []rune{0x069A, 0xFB90, 0xFEDE}},
	}
	for _, tt := range tests {
		if got := s.shape([]rune(tt.in)); hex(got) != hex(tt.want) {
			t.Errorf("shape(%q) = %s, want %s", tt.in, hex(got), hex(tt.want))
		}
	}
}

func TestLookalikes(t *testing.T) {
	s := dejaVuShaper(t)
	// Urdu heh goal and yeh barree are not in DejaVu Sans.
	got := s.shape([]rune("عائشہ"))
	if want := []rune{0xFECB, 0xFE8E, 0xFE8B, 0xFEB8, 0xFEEA}; hex(got) != hex(want) {
		t.Errorf("shape(عائشہ) = %s, want %s", hex(got), hex(want))
	}
	for from, to := range lookalike {
		if !s.has(to) {
			t.Errorf("look-alike U+%04X for U+%04X is not in DejaVu Sans", to, from)
		}
	}
}

func TestVisualOrder(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Zoë Ñúñez-Øberg", "Zoë Ñúñez-Øberg"},
		{"אבג", "גבא"},
		{"אב גד", "דג בא"},
		{"אב (Ali) גד", "דג (Ali) בא"},
		{"אב 2026", "2026 בא"},
		{"(אב)", "(בא)"},
		// Brackets pair (rule N0): the closing one stays with the name.
		{"Ali (אב) 2026", "Ali (בא) 2026"},
		{"Ali (אב) גד", "Ali (בא) דג"},
		{"אב (Ali) 2026", "2026 (Ali) בא"},
		// Arabic-Indic digits keep their order inside right-to-left text.
		{"אב ١٢٣", "١٢٣ בא"},
		{"a1b", "a1b"},
		{"אב-12", "12-בא"},
	}
	for _, tt := range tests {
		if got := string(visualOrder([]rune(tt.in))); got != tt.want {
			t.Errorf("visualOrder(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClean(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Zoe\u0308  \t Núñez\n", "Zoë Núñez"},
		{"a\x00b\u202ec\u200fd", "abcd"},
		{"bad\xffbyte", "bad\uFFFDbyte"},
		{"می\u200cخواهم", "می\u200cخواهم"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := string(clean(tt.in)); got != tt.want {
			t.Errorf("clean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCmapCoverage(t *testing.T) {
	fonts, err := loadFonts()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		f    *face
		r    rune
		want bool
	}{
		{serif, 'A', true}, {serif, 'Ж', true}, {serif, 'ب', false},
		{serifItalic, 'ë', true}, {sans, 'ب', true}, {sans, 0xFEFB, true},
		{sans, 0xFBFC, true}, {sans, '王', false}, {sans, replacement, true},
		{serif, replacement, true}, {serifItalic, replacement, true},
	} {
		if got := fonts.has(tt.f, tt.r); got != tt.want {
			t.Errorf("%s has %q = %v, want %v", tt.f.family, tt.r, got, tt.want)
		}
	}
	if _, err := cmapCoverage([]byte("not a font")); err == nil {
		t.Error("cmapCoverage accepted garbage")
	}
}
