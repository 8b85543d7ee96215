package i18n

import (
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/BurntSushi/toml"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
)

// TestConsoleMessagesLiveInTheConsoleFiles keeps the two scopes apart: a
// console.<lang>.toml holds only console messages, and the other files none,
// so that a translator can ship the student pages without the console.
func TestConsoleMessagesLiveInTheConsoleFiles(t *testing.T) {
	names, err := fs.Glob(files, "locales/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		raw, err := fs.ReadFile(files, name)
		if err != nil {
			t.Fatal(err)
		}
		mf, err := goi18n.ParseMessageFileBytes(raw, name, map[string]goi18n.UnmarshalFunc{"toml": toml.Unmarshal})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		console := strings.HasPrefix(name, "locales/console.")
		for _, m := range mf.Messages {
			if IsConsole(m.ID) != console {
				t.Errorf("%s holds %s", name, m.ID)
			}
		}
	}
}

// TestTheConsoleSpeaksOnlyCompleteLanguages builds catalogues of a language
// with and without a complete console file: the console speaks it only
// when it has every console message, and students are offered it either way.
func TestTheConsoleSpeaksOnlyCompleteLanguages(t *testing.T) {
	base := fstest.MapFS{
		"locales/active.en.toml":  {Data: []byte("[nav]\nlogin = \"Log in\"\n")},
		"locales/console.en.toml": {Data: []byte("[console.nav]\nlabel = \"Console\"\npeople = \"People\"\n")},
		"locales/active.de.toml":  {Data: []byte("[nav]\nlogin = \"Anmelden\"\n")},
	}
	for _, tc := range []struct {
		console string // the German console file, "" for none
		want    string
	}{
		{"", "en"},
		{"[console.nav]\nlabel = \"Konsole\"\n", "en"},
		{"[console.nav]\nlabel = \"Konsole\"\npeople = \"Personen\"\n", "de"},
	} {
		fsys := fstest.MapFS{}
		for k, v := range base {
			fsys[k] = v
		}
		if tc.console != "" {
			fsys["locales/console.de.toml"] = &fstest.MapFile{Data: []byte(tc.console)}
		}
		c, err := load(fsys, false)
		if err != nil {
			t.Fatal(err)
		}
		de, ok := c.Lookup("de")
		if !ok {
			t.Fatalf("German is not offered to students with console file %q", tc.console)
		}
		if got := c.Console(de); got.Code() != tc.want || got.T("console.nav.label") == "console.nav.label" {
			t.Errorf("with console file %q the console speaks %s, want %s", tc.console, got.Code(), tc.want)
		}
		if got := c.Console(c.Default()).Code(); got != "en" {
			t.Errorf("the console answers English speakers in %s", got)
		}
	}
}

// TestPlainMessagesKeptAsLookedUp looks messages up twice without data, in
// English and in the pseudo-locale: the second answer is the first, the
// pseudo-locale's brackets are not doubled, and an id the catalogue lacks
// answers with itself and is not kept.
func TestPlainMessagesKeptAsLookedUp(t *testing.T) {
	c, err := WithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	pseudo, _ := c.Lookup(Pseudo)
	for _, tc := range []struct {
		loc  *Localizer
		want string
	}{{c.Default(), "Log in"}, {pseudo, "⟦Log in⟧"}} {
		for range 2 {
			if got := tc.loc.T("nav.login"); got != tc.want {
				t.Errorf("%s: T(nav.login) = %q, want %q", tc.loc.Code(), got, tc.want)
			}
		}
		if got := tc.loc.T("nav.login", "Unused", 1); got != tc.want {
			t.Errorf("%s: with data T(nav.login) = %q, want %q", tc.loc.Code(), got, tc.want)
		}
		for range 2 {
			if got := tc.loc.T("no.such.message"); !strings.Contains(got, "no.such.message") {
				t.Errorf("%s: T(no.such.message) = %q", tc.loc.Code(), got)
			}
		}
		if _, kept := tc.loc.plain.Load("no.such.message"); kept {
			t.Errorf("%s: a missing message was kept", tc.loc.Code())
		}
	}
}

// TestCountedMessagesAndShortDatesKeptAsWorded words counts and days twice:
// each plural form stays its own, and a missing message is not kept.
func TestCountedMessagesAndShortDatesKeptAsWorded(t *testing.T) {
	c, err := WithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	en := c.Default()
	for range 2 {
		if one, many := en.N("console.roster.days_ago", 1), en.N("console.roster.days_ago", 5); one != "1 day ago" || many != "5 days ago" {
			t.Errorf("days ago: %q, %q", one, many)
		}
		if got := en.N("console.roster.days_ago", int64(3)); got != "3 days ago" {
			t.Errorf("days ago with an int64: %q", got)
		}
		if got := en.ShortDate(time.Date(2026, 3, 17, 23, 0, 0, 0, time.UTC)); got != "17 Mar 2026" {
			t.Errorf("ShortDate = %q", got)
		}
		if got := en.N("no.such.count", 2); !strings.Contains(got, "no.such.count") {
			t.Errorf("missing counted message = %q", got)
		}
	}
	if _, kept := en.counted.Load(countedKey{"no.such.count", 2}); kept {
		t.Error("a missing counted message was kept")
	}
	if _, kept := en.counted.Load(countedKey{"console.roster.days_ago", 5}); !kept {
		t.Error("a counted message was not kept")
	}
}
