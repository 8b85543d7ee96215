package certcode

import (
	"regexp"
	"strings"
	"testing"
)

var canonical = regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$`)

func TestNewFormat(t *testing.T) {
	seen := make(map[string]bool)
	for range 1000 {
		code, err := New()
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		if !canonical.MatchString(code) {
			t.Fatalf("New() = %q, not in canonical form", code)
		}
		if seen[code] {
			t.Fatalf("New() repeated %q", code)
		}
		seen[code] = true
	}
}

func TestNewUsesWholeAlphabet(t *testing.T) {
	counts := make(map[rune]int)
	for range 2000 {
		code, err := New()
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		for _, r := range strings.ReplaceAll(code, "-", "") {
			counts[r]++
		}
	}
	// 30000 draws over 32 symbols: about 940 each. A missing or rare symbol
	// means the mapping from random bytes is broken.
	for _, r := range Alphabet {
		if counts[r] < 700 {
			t.Errorf("symbol %q drawn %d times, want about 940", r, counts[r])
		}
	}
	if len(counts) != len(Alphabet) {
		t.Errorf("drew %d distinct symbols, want %d", len(counts), len(Alphabet))
	}
}

func TestNormalizeRoundTrip(t *testing.T) {
	for range 200 {
		code, err := New()
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		variants := []string{
			code,
			strings.ToLower(code),
			strings.ReplaceAll(code, "-", ""),
			strings.ReplaceAll(code, "-", " "),
			"  " + strings.ToLower(strings.ReplaceAll(code, "-", "")) + "\n",
		}
		for _, v := range variants {
			got, ok := Normalize(v)
			if !ok || got != code {
				t.Fatalf("Normalize(%q) = %q, %v; want %q, true", v, got, ok, code)
			}
		}
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
		ok   bool
	}{
		{"canonical", "7KQ2M-9XDT4-RAB3C", "7KQ2M-9XDT4-RAB3C", true},
		{"lower case", "7kq2m-9xdt4-rab3c", "7KQ2M-9XDT4-RAB3C", true},
		{"mixed case", "7kQ2m-9XdT4-rAb3C", "7KQ2M-9XDT4-RAB3C", true},
		{"no dashes", "7KQ2M9XDT4RAB3C", "7KQ2M-9XDT4-RAB3C", true},
		{"spaces", "7KQ2M 9XDT4 RAB3C", "7KQ2M-9XDT4-RAB3C", true},
		{"odd grouping", "7-KQ2M9-XD-T4RA-B3C", "7KQ2M-9XDT4-RAB3C", true},
		{"surrounding space", " \t7KQ2M-9XDT4-RAB3C\r\n", "7KQ2M-9XDT4-RAB3C", true},
		{"O is zero", "OOOOO-ooooo-00000", "00000-00000-00000", true},
		{"I and L are one", "IIIII-lllll-iLiL1", "11111-11111-11111", true},
		{"empty", "", "", false},
		{"only separators", " - - ", "", false},
		{"too short", "7KQ2M-9XDT4-RAB3", "", false},
		{"too long", "7KQ2M-9XDT4-RAB3C-0", "", false},
		{"very long", strings.Repeat("7KQ2M", 100), "", false},
		{"U is not in the alphabet", "7KQ2M-9XDT4-RAB3U", "", false},
		{"punctuation", "7KQ2M.9XDT4.RAB3C", "", false},
		{"underscore", "7KQ2M_9XDT4_RAB3C", "", false},
		{"garbage", "hello, world!!!!", "", false},
		{"sql", "' OR 1=1 --", "", false},
		{"fullwidth digits", "７KQ2M-9XDT4-RAB3C", "", false},
		{"dotless i", "ıKQ2M-9XDT4-RAB3C", "", false},
		{"long s", "7KQ2M-9XDT4-RABſC", "", false},
		{"kelvin sign", "7\u212aQ2M-9XDT4-RAB3C", "", false},
		{"cyrillic", "7КQ2M-9XDT4-RAB3C", "", false},
		{"non-breaking space", "7KQ2M\u00a09XDT4-RAB3C", "", false},
		{"en dash", "7KQ2M–9XDT4–RAB3C", "", false},
		{"invalid utf-8", "7KQ2M-9XDT4-RAB3\xff", "", false},
		{"nul byte", "7KQ2M-9XDT4-RAB3\x00C", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Normalize(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Normalize(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("7KQ2M-9XDT4-RAB3C")
	f.Add("")
	f.Add("ıııııııııııııııı")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := Normalize(s)
		if !ok {
			if got != "" {
				t.Fatalf("Normalize(%q) = %q, false; want empty string", s, got)
			}
			return
		}
		if !canonical.MatchString(got) {
			t.Fatalf("Normalize(%q) = %q, not canonical", s, got)
		}
		again, ok := Normalize(got)
		if !ok || again != got {
			t.Fatalf("Normalize is not idempotent on %q: %q, %v", got, again, ok)
		}
	})
}
