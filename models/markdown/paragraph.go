package markdown

import (
	"regexp"
	"strconv"
)

// The paragraph id is the one format of a position in a reading: the
// renderer writes it, the reader's script reports the furthest one it saw,
// and progress stores its number.

// paragraphIDPattern bounds a paragraph number to six digits.
var paragraphIDPattern = regexp.MustCompile(`^p-([1-9][0-9]{0,5})$`)

// ParagraphID is the id of the nth paragraph of a reading, like "p-12".
func ParagraphID(n int) string { return "p-" + strconv.Itoa(n) }

// ParagraphNumber reads n back from ParagraphID(n); ok is false for
// anything else.
func ParagraphNumber(id string) (n int, ok bool) {
	m := paragraphIDPattern.FindStringSubmatch(id)
	if m == nil {
		return 0, false
	}
	n, _ = strconv.Atoi(m[1])
	return n, true
}
