package routes

import (
	"strings"
	"testing"

	"courseportal/views/i18n"
)

// Every domain error a page can show speaks the page's language: its
// sentence is in the catalogue (the pseudo-locale wraps what it finds).
func TestDomainErrorsAreInTheCatalogue(t *testing.T) {
	langs, err := i18n.WithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	pseudo, _ := langs.Lookup(i18n.Pseudo)
	for _, d := range domainErrors {
		s := sentence(d.err.Error())
		if got := pseudo.Known(s); !strings.HasPrefix(got, "⟦") {
			t.Errorf("the catalogue lacks %q (%s)", s, d.code)
		}
	}
}
