package models

import (
	"strings"

	"courseportal/models/markdown"

	"golang.org/x/text/language"
	"golang.org/x/text/unicode/bidi"
)

// MaxLanguageTagBytes bounds a reading's language tag.
const MaxLanguageTagBytes = 35

// rightToLeftScripts are the scripts written right to left (ISO 15924).
var rightToLeftScripts = map[string]bool{"Arab": true, "Hebr": true, "Syrc": true, "Thaa": true,
	"Nkoo": true, "Adlm": true, "Rohg": true, "Mand": true, "Samr": true}

// TextDirection is how a reading's text is written: its language, a BCP 47
// tag ("" when staff did not say), and its direction, "rtl" or "ltr".
type TextDirection struct {
	Lang string
	Dir  string
}

// ParseLanguageTag reads the reading editor's language field: empty, or a
// well-formed BCP 47 tag, returned in its canonical form ("fa-af" → "fa-AF").
func ParseLanguageTag(text string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return "", nil
	}
	if len(text) > MaxLanguageTagBytes {
		return "", Invalid("language", "The language tag is too long.")
	}
	tag, err := language.Parse(text)
	if err != nil || tag == language.Und {
		return "", Invalid("language", "Give the language as a tag such as en, fa-AF (Dari), ps (Pashto) or ar, or leave it empty.")
	}
	return tag.String(), nil
}

// Direction is the reading's text direction, whatever the interface's
// language: from the language staff gave it when they did, else from the
// first strong character of its text (the Unicode bidi rule P2), else left
// to right.
func (r *Reading) Direction(doc markdown.Document) TextDirection {
	if r.Language != "" {
		if tag, err := language.Parse(r.Language); err == nil {
			script, _ := tag.Script()
			dir := "ltr"
			if rightToLeftScripts[script.String()] {
				dir = "rtl"
			}
			return TextDirection{Lang: r.Language, Dir: dir}
		}
	}
	for _, text := range append(append([]string{}, doc.Openings...), r.Title) {
		if dir := firstStrongDirection(text); dir != "" {
			return TextDirection{Dir: dir}
		}
	}
	return TextDirection{Dir: "ltr"}
}

// firstStrongDirection is "rtl" or "ltr" by the first strong character of
// text, "" when it has none (digits and punctuation only).
func firstStrongDirection(text string) string {
	for _, r := range text {
		props, _ := bidi.LookupRune(r)
		switch props.Class() {
		case bidi.L:
			return "ltr"
		case bidi.R, bidi.AL:
			return "rtl"
		}
	}
	return ""
}
