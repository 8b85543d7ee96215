package views

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// escapeSamples are values that exercise every replacement: markup, quotes,
// ampersands and pluses, a NUL, right-to-left text and isolates, invalid
// UTF-8, percent signs with and without an escape after them.
var escapeSamples = []string{
	"", "plain", `<script>alert("x")</script>`, `O'Brien & "Sons"`, "a+b@example.org", "x\x00y",
	"مريم الحسيني", "\u2068שרה\u2069", "\xff\xfe broken", "100% and %41 and %4", "%", "%zz",
	"javascript:alert(1)", "a b?c=d&e=f#g", "(paren) [bracket] {brace} `tick`", "\uFDD0\uFFFE\uFFFD",
	"tab\tnew\nline", "ünïcödé/ßpath", "mailto:a@b", "~-._!$*,;=:@/?#",
}

func TestMarkupTextWritesWhatTheTemplateWrites(t *testing.T) {
	text := template.Must(template.New("").Parse(`<p title="{{.}}">{{.}}</p>`))
	compareWithTemplate(t, text, append(escapeSamples, randomStrings(500)...), func(s string) any { return s },
		func(m *Markup, s string) {
			m.Raw(`<p title="`)
			m.Text(s)
			m.Raws(`">`, EscapeHTML(s), `</p>`)
		})
}

func TestMarkupURLWritesWhatTheTemplateWrites(t *testing.T) {
	link := template.Must(template.New("").Parse(`<a href="{{.}}">`))
	// A URL the portal built: typed, so the template trusts its scheme.
	typed := func(s string) any { return template.URL(s) } //nolint:gosec // a test of the escaping
	compareWithTemplate(t, link, append(escapeSamples, randomStrings(500)...), typed, func(m *Markup, s string) {
		m.Raw(`<a href="`)
		m.URL(s)
		m.Raw(`">`)
	})
}

func TestMarkupMailtoWritesWhatTheTemplateWrites(t *testing.T) {
	link := template.Must(template.New("").Funcs(template.FuncMap{"mailto": Mailto}).Parse(`<a href="{{mailto .}}">`))
	addresses := slices.Concat(escapeSamples, []string{"a?cc=x@example.org", "first.last+tag@example.org", "no-at-sign", "two@at@signs"})
	compareWithTemplate(t, link, addresses, func(s string) any { return s }, func(m *Markup, s string) {
		m.Raw(`<a href="`)
		m.Mailto(s)
		m.Raw(`">`)
	})
}

// compareWithTemplate executes tmpl on data(s) and calls write for each
// sample, and wants the same bytes.
func compareWithTemplate(t *testing.T, tmpl *template.Template, samples []string, data func(string) any,
	write func(*Markup, string)) {
	t.Helper()
	for _, s := range samples {
		var want bytes.Buffer
		if err := tmpl.Execute(&want, data(s)); err != nil {
			t.Fatal(err)
		}
		m := NewMarkup()
		write(m, s)
		if got := m.HTML(); string(got) != want.String() {
			t.Errorf("%q:\n got %q\nwant %q", s, got, want.String())
		}
	}
}

// randomStrings are short strings of bytes from every class: ASCII
// specials, letters, control bytes and pieces of multi-byte characters.
func randomStrings(n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"<", ">", "&", "'", `"`, "+", "%", "%2", "%2F", "\x00", "\x7f", "\xc3", "\xa9", "é", "ي", "\u2068",
		" ", "a", "Z", "9", "#", "?", "=", "/", ":", "@", "(", "\\", "\uFFFF", "\U0001F600"}
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for range r.IntN(12) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		out[i] = b.String()
	}
	return out
}
