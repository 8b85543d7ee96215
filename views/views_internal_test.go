package views

import (
	"bytes"
	"testing"

	"courseportal/views/i18n"
)

// A language's pages are parsed when the first page is asked for in it, not
// at start: a language nobody reads costs no heap.
func TestLanguagePagesParseOnFirstUse(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	dari, ok := r.langs.Lookup("fa-AF")
	if !ok {
		t.Fatal("the shipped catalogue has no fa-AF")
	}
	if r.pages[i18n.Default].sets == nil {
		t.Fatal("the default language was not parsed at start")
	}
	if r.pages["fa-AF"].sets != nil {
		t.Fatal("fa-AF was parsed before any page asked for it")
	}
	var out bytes.Buffer
	if err := r.Render(&out, "login", dari, nil); err != nil {
		t.Fatalf("render login in fa-AF: %v", err)
	}
	if r.pages["fa-AF"].sets == nil {
		t.Fatal("fa-AF's pages are not kept after the first page in it")
	}
	if !bytes.Contains(out.Bytes(), []byte(`dir="rtl"`)) {
		t.Fatalf("the fa-AF page is not right-to-left:\n%.400s", out.String())
	}
	if err := r.Render(&out, "no-such-page", dari, nil); err == nil {
		t.Fatal("rendering an unknown page gave no error")
	}
}
