package routes_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"courseportal/views/i18n"
)

// studentSources are the files whose validation and error sentences reach
// visitors' and students' pages: every handler outside the console, and
// the store's rules they meet.
var studentSources = []string{"*.go", "../models/*.go"}

// TestStudentSentencesAreInTheCatalogue reads the code outside the console
// for the sentences it words in English (error and validation messages,
// which the JSON API sends as they are) and fails on any that the catalogue
// cannot put in the page's language, so that an error page the walk in the
// pseudo-locale does not reach speaks the person's language too.
func TestStudentSentencesAreInTheCatalogue(t *testing.T) {
	langs, err := i18n.WithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	pseudo, _ := langs.Lookup(i18n.Pseudo)
	console := consoleFiles(t)
	found := 0
	for _, s := range sentencesIn(t, studentSources, func(name string) bool { return !slices.Contains(console, name) }) {
		found++
		if got := pseudo.Known(s); !strings.HasPrefix(got, "⟦") {
			t.Errorf("the catalogue lacks %q", s)
		}
	}
	if found < 50 {
		t.Fatalf("found only %d sentences: the reading of the code is broken", found)
	}
}

// consoleFiles lists the files of consoleSources, which the console's own
// test reads.
func consoleFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pattern := range consoleSources {
		files, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, files...)
	}
	return out
}
