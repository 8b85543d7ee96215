package routes

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"
)

// formText reads a form field as clean text: valid UTF-8 with no NUL, and
// Windows line ends made plain.
func formText(raw string) string {
	s := strings.ToValidUTF8(strings.ReplaceAll(raw, "\x00", ""), "")
	return strings.ReplaceAll(s, "\r\n", "\n")
}

// formLine is a one-line field: clean text, spaces trimmed.
func formLine(raw string) string { return strings.TrimSpace(formText(raw)) }

// checkLength adds an error when a field is missing or too long.
func (errs formErrors) checkLength(field, label, value string, required bool, maxRunes int) {
	switch {
	case required && strings.TrimSpace(value) == "":
		errs[field] = label + " is required."
	case utf8.RuneCountInString(value) > maxRunes:
		errs[field] = fmt.Sprintf("%s is too long (%d characters at most).", label, maxRunes)
	}
}

// checkURL adds an error unless value is empty or an absolute http(s) URL.
func (errs formErrors) checkURL(field, value string) {
	if value == "" {
		return
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(value) > 500 {
		errs[field] = "Enter a full web address starting with https://, like https://example.org/page."
	}
}

// formBool reads a checkbox or a "1"/"0" button value.
func formBool(raw string) bool { return raw == "1" || raw == "on" || raw == "true" }

// formID reads a positive database id; zero means absent or invalid.
func formID(raw string) int64 {
	n, err := strconv.ParseInt(strings.TrimSpace(raw), 10, 64)
	if err != nil || n < 1 {
		return 0
	}
	return n
}

// ok reports whether no field has an error.
func (errs formErrors) ok() bool { return len(errs) == 0 }
