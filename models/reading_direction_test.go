package models_test

import (
	"testing"

	"courseportal/models"
	"courseportal/models/markdown"
)

// A reading's direction comes from the language staff gave it, else from the
// first strong character of its text, whatever the interface speaks.
func TestReadingDirection(t *testing.T) {
	dari := []string{"این یک متن آزمایشی به زبان دری است."}
	english := []string{"The Doha talks stalled in March."}
	for _, tc := range []struct {
		name, lang string
		openings   []string
		title      string
		want       models.TextDirection
	}{
		{"Dari, tagged", "fa-AF", english, "", models.TextDirection{Lang: "fa-AF", Dir: "rtl"}},
		{"Pashto, tagged", "ps", nil, "", models.TextDirection{Lang: "ps", Dir: "rtl"}},
		{"Azeri in Arabic script", "az-Arab", nil, "", models.TextDirection{Lang: "az-Arab", Dir: "rtl"}},
		{"Hebrew", "he", nil, "", models.TextDirection{Lang: "he", Dir: "rtl"}},
		{"English, tagged, over Dari text", "en", dari, "", models.TextDirection{Lang: "en", Dir: "ltr"}},
		{"Dari, detected past digits and quotes", "", []string{"1400 «" + dari[0]}, "", models.TextDirection{Dir: "rtl"}},
		{"English, detected", "", append(append([]string{}, english...), dari...), "", models.TextDirection{Dir: "ltr"}},
		{"paragraph without letters, then Dari", "", []string{"2021 — 18.3", dari[0]}, "", models.TextDirection{Dir: "rtl"}},
		{"no letters at all, title in Dari", "", []string{"1 2 3"}, "درس اول", models.TextDirection{Dir: "rtl"}},
		{"nothing to go by", "", nil, "", models.TextDirection{Dir: "ltr"}},
	} {
		r := &models.Reading{Language: tc.lang, Title: tc.title}
		if got := r.Direction(markdown.Document{Openings: tc.openings}); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

// The editor's language field takes BCP 47 tags, canonicalised, or nothing.
func TestParseLanguageTag(t *testing.T) {
	for text, want := range map[string]string{"": "", "  ": "", "fa-af": "fa-AF", "PS": "ps", "en-GB": "en-GB"} {
		if got, err := models.ParseLanguageTag(text); err != nil || got != want {
			t.Errorf("ParseLanguageTag(%q) = %q, %v; want %q", text, got, err, want)
		}
	}
	for _, bad := range []string{"not a tag", "x", "dari!", "und", "fa-AF-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"} {
		_, err := models.ParseLanguageTag(bad)
		if v, ok := models.AsValidation(err); !ok || v.Field != "language" {
			t.Errorf("ParseLanguageTag(%q) = %v, want a validation error on language", bad, err)
		}
	}
}
