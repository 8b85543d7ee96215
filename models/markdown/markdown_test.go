package markdown

import (
	"strings"
	"testing"
)

func TestRenderNumbersParagraphsAndAnchorsHeadings(t *testing.T) {
	doc, err := Render("First para.\n\n## The predictable risk\n\nSecond *para*.\n\n> Quoted para.\n")
	if err != nil {
		t.Fatal(err)
	}
	html := string(doc.HTML)
	for _, want := range []string{`<p id="p-1">First para.</p>`, `<p id="p-2">Second <em>para</em>.</p>`,
		`<p id="p-3">Quoted para.</p>`, `<h2 id="the-predictable-risk">`, `href="#the-predictable-risk"`} {
		if !strings.Contains(html, want) {
			t.Errorf("rendered HTML lacks %s:\n%s", want, html)
		}
	}
	if doc.Paragraphs != 3 {
		t.Errorf("Paragraphs = %d, want 3", doc.Paragraphs)
	}
	if len(doc.Headings) != 1 || doc.Headings[0].Text != "The predictable risk" || doc.Headings[0].ID != "the-predictable-risk" {
		t.Errorf("Headings = %+v", doc.Headings)
	}
	if doc.Words != 9 {
		t.Errorf("Words = %d, want 9", doc.Words)
	}
}

func TestRenderSanitises(t *testing.T) {
	cases := map[string]string{
		"script":     "Hi <script>alert(1)</script>",
		"js link":    "[x](javascript:alert(1))",
		"onerror":    `<img src=x onerror="alert(1)">`,
		"raw iframe": `<iframe src="https://evil.example"></iframe>`,
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			doc, err := Render(src)
			if err != nil {
				t.Fatal(err)
			}
			html := strings.ToLower(string(doc.HTML))
			for _, bad := range []string{"<script", "javascript:", "onerror", "<iframe"} {
				if strings.Contains(html, bad) {
					t.Errorf("output keeps %q: %s", bad, html)
				}
			}
		})
	}
}

func TestRenderRejectsHugeSource(t *testing.T) {
	if _, err := Render(strings.Repeat("a", MaxSourceBytes+1)); err == nil {
		t.Fatal("expected an error for an oversized reading")
	}
}

func TestOpeningsAreEachParagraphsFirstWords(t *testing.T) {
	doc, err := Render("## A heading\n\nOne *two* three.\n\nA much longer paragraph that goes on for more than ten words in all.\n")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"One two three.", "A much longer paragraph that goes on for more than …"}
	if len(doc.Openings) != 2 || doc.Openings[0] != want[0] || doc.Openings[1] != want[1] {
		t.Fatalf("openings = %q, want %q", doc.Openings, want)
	}
}
