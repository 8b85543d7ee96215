package routes

// htmlReplacements are the characters html/template replaces in a string
// written as HTML text or as a quoted attribute's value, and what it writes
// instead (its htmlReplacementTable).
var htmlReplacements = [...]string{
	0:    "\uFFFD",
	'"':  "&#34;",
	'&':  "&amp;",
	'\'': "&#39;",
	'+':  "&#43;",
	'<':  "&lt;",
	'>':  "&gt;",
}

// appendHTML appends s escaped as html/template escapes a string in HTML
// text or a quoted attribute. Only ASCII characters are replaced, so the
// bytes of other UTF-8 characters, and of invalid sequences, go as they are,
// as html/template leaves them.
func appendHTML(dst []byte, s string) []byte {
	written := 0
	for i := 0; i < len(s); i++ {
		if b := s[i]; int(b) < len(htmlReplacements) && htmlReplacements[b] != "" {
			dst = append(dst, s[written:i]...)
			dst = append(dst, htmlReplacements[b]...)
			written = i + 1
		}
	}
	return append(dst, s[written:]...)
}
