package markdown

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// Whatever a reading's Markdown holds, the rendered HTML carries no script,
// no event handler attribute and no javascript: URL in any tag.
func FuzzRender(f *testing.F) {
	f.Fuzz(func(t *testing.T, source string) {
		doc, err := Render(source)
		if err != nil {
			if len(source) > MaxSourceBytes {
				return
			}
			t.Fatalf("render: %v", err)
		}
		out := string(doc.HTML)
		if strings.Contains(strings.ToLower(out), "<script") {
			t.Fatalf("output holds a script tag:\n%s", out)
		}
		z := html.NewTokenizer(bytes.NewReader([]byte(out)))
		for {
			switch z.Next() {
			case html.ErrorToken:
				return
			case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
				tok := z.Token()
				switch tok.Data {
				case "script", "iframe", "object", "embed", "style", "form", "base", "meta":
					t.Fatalf("output holds a <%s> tag:\n%s", tok.Data, out)
				}
				for _, a := range tok.Attr {
					if strings.HasPrefix(strings.ToLower(a.Key), "on") {
						t.Fatalf("output holds the event handler %s=%q:\n%s", a.Key, a.Val, out)
					}
					if hasScriptURL(a.Val) {
						t.Fatalf("output holds %s=%q:\n%s", a.Key, a.Val, out)
					}
				}
			}
		}
	})
}

// hasScriptURL reports a javascript: (or vbscript:, data:text/html) URL as a
// browser reads it: entities decoded by the tokenizer, case, white space and
// control characters ignored.
func hasScriptURL(v string) bool {
	v = strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToLower(v))
	return strings.Contains(v, "javascript:") || strings.Contains(v, "vbscript:") || strings.Contains(v, "data:text/html")
}
