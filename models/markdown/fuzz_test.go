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
	for _, seed := range []string{
		"[A](#jAvAsCript:0)",
		"[A](java\tscript:alert(1))",
		"[A](x/javascript:0)",
		"[A](JaVaScRiPt&#58;alert(1))",
		"![a](data:text/html;base64,PHNjcmlwdD4=)",
		"<a href=\" javascript:alert(1)\">x</a>",
	} {
		f.Add(seed)
	}
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

// hasScriptURL reports a value that a browser would run as script when
// followed: a javascript: or vbscript: URL, or a data:text/html one. It reads
// the value as the URL standard does: entities already decoded by the
// tokenizer, tabs and newlines removed anywhere, leading and trailing control
// characters and spaces trimmed, the scheme case-insensitive and ending at the
// first ':' that comes before any '/', '?' or '#'. A same-page fragment such as
// "#javascript:0" has no scheme and runs nothing. Each comma-separated part is
// read too, for attributes such as srcset that carry several URLs.
func hasScriptURL(v string) bool {
	for _, part := range append([]string{v}, strings.Split(v, ",")...) {
		switch scheme, rest := urlScheme(part); scheme {
		case "javascript", "vbscript":
			return true
		case "data":
			if strings.HasPrefix(strings.ToLower(strings.TrimLeft(rest, " ")), "text/html") {
				return true
			}
		}
	}
	return false
}

func urlScheme(v string) (scheme, rest string) {
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	v = strings.TrimFunc(v, func(r rune) bool { return r <= ' ' })
	end := strings.IndexAny(v, ":/?#")
	if end <= 0 || v[end] != ':' {
		return "", v
	}
	return strings.ToLower(v[:end]), v[end+1:]
}

func TestHasScriptURLReadsTheSchemeAsABrowserDoes(t *testing.T) {
	for value, want := range map[string]bool{
		"javascript:alert(1)":        true,
		" JaVa\tScRiPt:alert(1)":     true,
		"\x01javascript:0":           true,
		"vbscript:msgbox":            true,
		"data:text/html;base64,PHA+": true,
		"data: TEXT/HTML,x":          true,
		"x, javascript:0":            true,
		"#javascript:0":              false,
		"x/javascript:0":             false,
		"?q=javascript:0":            false,
		"https://example.org/a:b":    false,
		"data:image/png;base64,AAAA": false,
		"":                           false,
	} {
		if got := hasScriptURL(value); got != want {
			t.Errorf("hasScriptURL(%q) = %v, want %v", value, got, want)
		}
	}
}
