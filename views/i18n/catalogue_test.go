package i18n_test

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"courseportal/views/i18n"
)

// shippedLanguages are the languages the portal promises complete: a key
// missing from any of them fails here, before a page shows its id.
var shippedLanguages = []string{"en", "fa-AF"}

func TestEveryShippedLanguageHasEveryKey(t *testing.T) {
	c := i18n.Shipped()
	for _, lang := range shippedLanguages {
		if missing := c.Missing(lang); len(missing) > 0 {
			t.Errorf("%s lacks %d messages: %s", lang, len(missing), strings.Join(missing, ", "))
		}
		if _, ok := c.Lookup(lang); !ok {
			t.Errorf("%s is not offered in the selector", lang)
		}
	}
	var offered []string
	for _, l := range c.Languages() {
		offered = append(offered, l.Code())
	}
	if !slices.Equal(offered, shippedLanguages) {
		t.Errorf("selector offers %v, want %v", offered, shippedLanguages)
	}
}

// TestNoKeyOnlyInATranslation catches a key renamed in English but not in
// the translations, which would otherwise linger unused.
func TestNoKeyOnlyInATranslation(t *testing.T) {
	c := i18n.Shipped()
	english := c.Keys(i18n.Default)
	for _, lang := range c.ShippedLanguages() {
		for _, id := range c.Keys(lang) {
			if _, found := slices.BinarySearch(english, id); !found {
				t.Errorf("%s has %q, which English does not", lang, id)
			}
		}
	}
}

// placeholders finds the {{.Field}} a message fills in.
var placeholders = regexp.MustCompile(`\{\{\s*\.(\w+)\s*\}\}`)

// TestTranslationsKeepTheirPlaceholders checks each translation fills in
// the same fields as the English message, so no name or number goes missing.
func TestTranslationsKeepTheirPlaceholders(t *testing.T) {
	c := i18n.Shipped()
	en := c.Default()
	for _, lang := range shippedLanguages[1:] {
		loc, ok := c.Lookup(lang)
		if !ok {
			t.Fatalf("%s is incomplete", lang)
		}
		for _, id := range c.Keys(lang) {
			want := fields(en.Raw(id))
			got := fields(loc.Raw(id))
			if !slices.Equal(want, got) {
				t.Errorf("%s %s fills %v, English %v", lang, id, got, want)
			}
		}
	}
}

func fields(templates []string) []string {
	var out []string
	for _, s := range templates {
		for _, m := range placeholders.FindAllStringSubmatch(s, -1) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

func TestLanguageChoice(t *testing.T) {
	c := i18n.Shipped()
	cases := []struct{ accept, want string }{
		{"fa-AF,fa;q=0.9,en;q=0.5", "fa-AF"},
		{"fa", "fa-AF"},
		{"prs", "fa-AF"},
		{"de-DE,de;q=0.9", "en"},
		{"", "en"},
		{"en-GB,en;q=0.8", "en"},
		{"garbage;;;q=x", "en"},
	}
	for _, tc := range cases {
		if got := c.Match(tc.accept).Code(); got != tc.want {
			t.Errorf("Accept-Language %q chose %s, want %s", tc.accept, got, tc.want)
		}
	}
	if _, ok := c.Lookup(i18n.Pseudo); ok {
		t.Error("the shipped catalogue offers the pseudo-locale")
	}
	if _, ok := c.Lookup("de"); ok {
		t.Error("a language without a catalogue is offered")
	}
}

func TestDirectionAndDates(t *testing.T) {
	c := i18n.Shipped()
	fa, _ := c.Lookup("fa-AF")
	if fa.Dir() != "rtl" || c.Default().Dir() != "ltr" {
		t.Errorf("directions: fa-AF %s, en %s", fa.Dir(), c.Default().Dir())
	}
	day := time.Date(2021, time.March, 18, 14, 5, 0, 0, time.UTC)
	if got := c.Default().WeekDate(day); got != "Thursday 18 March 2021" {
		t.Errorf("English date %q", got)
	}
	if got := fa.Date(day); got != "18 مارچ 2021" {
		t.Errorf("Dari date %q", got)
	}
	for d, want := range map[time.Duration]string{14 * 24 * time.Hour: "14 days", time.Hour: "1 hour", 75 * time.Minute: "75 minutes"} {
		if got := c.Default().Span(d); got != want {
			t.Errorf("Span(%v) = %q, want %q", d, got, want)
		}
	}
}

func TestPluralsFollowTheLanguage(t *testing.T) {
	c := i18n.Shipped()
	en := c.Default()
	if got := en.N("course.seats_left", 1); got != "1 seat left." {
		t.Errorf("one: %q", got)
	}
	if got := en.N("course.seats_left", 0); got != "0 seats left." {
		t.Errorf("zero: %q", got)
	}
	fa, _ := c.Lookup("fa-AF")
	if got := fa.N("course.seats_left", 3); !strings.HasPrefix(got, "3 ") {
		t.Errorf("Dari plural %q", got)
	}
}

func TestPseudoWrapsEveryMessage(t *testing.T) {
	c, err := i18n.WithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	p, ok := c.Lookup(i18n.Pseudo)
	if !ok {
		t.Fatal("no pseudo-locale")
	}
	if got := p.T("nav.login"); got != "⟦Log in⟧" {
		t.Errorf("pseudo %q", got)
	}
	if got := p.N("course.seats_left", 2); got != "⟦2 seats left.⟧" {
		t.Errorf("pseudo plural %q", got)
	}
	for _, l := range c.Languages() {
		if l.Code() == i18n.Pseudo {
			t.Error("the pseudo-locale is in the selector")
		}
	}
}

// TestKnownSentences checks that sentences the code words in English reach
// the page in its language, those with numbers in them too.
func TestKnownSentences(t *testing.T) {
	fa, _ := i18n.Shipped().Lookup("fa-AF")
	en := i18n.Shipped().Default()
	cases := []struct{ english, dari string }{
		{"Email or password is incorrect.", "ایمیل یا رمز عبور نادرست است."},
		{"Too many wrong codes. Try again in 12 minutes.", "کدهای نادرست بیش از حد. 12 دقیقه بعد دوباره امتحان کنید."},
		{"A sentence the catalogue does not know.", "A sentence the catalogue does not know."},
		{"Question 1 of 2 of 3 of 4.", "Question 1 of 2 of 3 of 4."},
	}
	for _, tc := range cases {
		if got := fa.Known(tc.english); got != tc.dari {
			t.Errorf("Dari for %q = %q, want %q", tc.english, got, tc.dari)
		}
		if got := en.Known(tc.english); got != tc.english {
			t.Errorf("English for %q = %q", tc.english, got)
		}
	}
}

// TestTheShippedConsoleIsEnglish: the console ships in English only, so a
// Dari speaker gets the whole console in English, never half of it in Dari.
func TestTheShippedConsoleIsEnglish(t *testing.T) {
	c := i18n.Shipped()
	if missing := c.MissingConsole(i18n.Default); len(missing) > 0 {
		t.Errorf("English lacks console messages: %v", missing)
	}
	if len(c.Keys("fa-AF")) == 0 || len(c.MissingConsole("fa-AF")) == 0 {
		t.Fatal("Dari was expected to ship without the console")
	}
	fa, _ := c.Lookup("fa-AF")
	if got := c.Console(fa).Code(); got != i18n.Default {
		t.Errorf("the console speaks %s to a Dari speaker", got)
	}
	p, err := i18n.WithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	pseudo, _ := p.Lookup(i18n.Pseudo)
	if got := p.Console(pseudo).T("console.nav.people"); got != "⟦People⟧" {
		t.Errorf("the pseudo-locale's console says %q", got)
	}
}

// Pages are rendered in every complete language, and in the pseudo-language
// only where the catalogue has it.
func TestRenderedLanguages(t *testing.T) {
	codes := func(locs []*i18n.Localizer) []string {
		list := make([]string, len(locs))
		for i, loc := range locs {
			list[i] = loc.Code()
		}
		return list
	}
	if got := codes(i18n.Shipped().Rendered()); !slices.Equal(got, shippedLanguages) {
		t.Fatalf("shipped catalogue renders %v, want %v", got, shippedLanguages)
	}
	withPseudo, err := i18n.WithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	if got, want := codes(withPseudo.Rendered()), append(slices.Clone(shippedLanguages), i18n.Pseudo); !slices.Equal(got, want) {
		t.Fatalf("catalogue with the pseudo-language renders %v, want %v", got, want)
	}
}
