package views

import (
	"net/url"
	"strings"
)

// Writing markup by hand, for a long table whose rows html/template would
// escape value by value through reflection. These write exactly what
// html/template writes for the same value (escape_test.go compares them),
// so a part of a page can move from its template to Go unchanged.

// htmlEscapes is html/template's replacement table for text and quoted
// attribute values: template.HTMLEscapeString leaves '+' alone, the
// template does not.
var htmlEscapes = [256]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// AppendHTML appends s as text or a quoted attribute's value, escaped as
// html/template escapes a string there. Every byte it replaces is ASCII, so
// a byte loop cannot split a character.
func AppendHTML(b []byte, s string) []byte {
	written := 0
	for i := 0; i < len(s); i++ {
		if repl := htmlEscapes[s[i]]; repl != "" {
			b = append(b, s[written:i]...)
			b = append(b, repl...)
			written = i + 1
		}
	}
	return append(b, s[written:]...)
}

// AppendURL appends a URL the caller built (a path of the portal's, a
// mailto:) as a quoted href's value, as html/template writes it: the bytes
// a URL may not hold percent-encoded, then '&' and '+' escaped for HTML.
// It does not refuse an unsafe scheme, which the template would: only the
// portal's own links are given.
func AppendURL(b []byte, s string) []byte {
	written := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '&':
			b = append(append(b, s[written:i]...), "&amp;"...)
		case c == '+':
			b = append(append(b, s[written:i]...), "&#43;"...)
		case urlKept(s, i):
			continue
		default:
			b = append(append(b, s[written:i]...), '%', lowerHex[c>>4], lowerHex[c&15])
		}
		written = i + 1
	}
	return append(b, s[written:]...)
}

const lowerHex = "0123456789abcdef"

// urlKept reports whether html/template's URL normalizer keeps s[i] as it
// is: RFC 3986's reserved and unreserved characters but the quote and
// parentheses, and a '%' that starts an escape.
func urlKept(s string, i int) bool {
	c := s[i]
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	case c == '%':
		return i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2])
	}
	return strings.IndexByte("!#$*,/:;=?@[]-._~", c) >= 0
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// AppendMailto appends the template function mailto's link to address as
// a quoted href's value.
func AppendMailto(b []byte, address string) []byte {
	b = append(b, "mailto:"...)
	local, domain, found := strings.Cut(address, "@")
	b = AppendURL(b, url.PathEscape(local))
	if found {
		b = AppendURL(append(b, '@'), url.PathEscape(domain))
	}
	return b
}

// EscapeHTML returns s escaped as AppendHTML appends it.
func EscapeHTML(s string) string {
	for i := 0; i < len(s); i++ {
		if htmlEscapes[s[i]] != "" {
			return string(AppendHTML(make([]byte, 0, len(s)+16), s))
		}
	}
	return s
}
