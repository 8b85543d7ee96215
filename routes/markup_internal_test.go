package routes

import (
	"bytes"
	"html/template"
	"testing"
)

// TestMarkupEscapesAsTheTemplates writes values through markup and through
// html/template, in text and in a quoted attribute, and wants the same bytes.
func TestMarkupEscapesAsTheTemplates(t *testing.T) {
	tmpl := template.Must(template.New("").Parse(`<td data-label="{{.}}">{{.}}</td>`))
	for _, s := range []string{"", "plain words", `Tom & "Jerry" <b>'s</b>`, "a+b=c", "nul\x00byte",
		"فرید احمدی", "\ufdd0\ufffe", "bad \xff utf-8", "1 + 1 &amp; more", "«Reading» — 5 %"} {
		var want bytes.Buffer
		if err := tmpl.Execute(&want, s); err != nil {
			t.Fatal(err)
		}
		m := newMarkup()
		m.raw(`<td data-label="`)
		m.text(s)
		m.raw(`">`)
		m.raw(escapeHTML(s))
		m.raw(`</td>`)
		if got := string(m.html()); got != want.String() {
			t.Errorf("%q: markup wrote %q, html/template %q", s, got, want.String())
		}
	}
}
