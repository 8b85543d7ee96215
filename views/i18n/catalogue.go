// Package i18n holds the interface's message catalogues (one TOML file per
// language, embedded), chooses a language for a request and looks messages
// up with CLDR plural rules.
package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/BurntSushi/toml"
	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

//go:embed locales/*.toml
var files embed.FS

// Default is the language every message exists in, and the one used when
// nothing better matches.
const Default = "en"

// Pseudo is the pseudo-locale that wraps every message in ⟦…⟧. It exists
// only in catalogues built WithPseudo (tests), so that a string that does
// not come from the catalogue stands out on a rendered page.
const Pseudo = "x-pseudo"

// ConsolePrefix starts the id of every message of the staff console. The
// console's messages live in their own files (console.<lang>.toml): a
// language is offered to students once it has every other message, and the
// console speaks it only once it has every console message too.
const ConsolePrefix = "console."

// Catalogue is the set of shipped languages and their messages.
type Catalogue struct {
	bundle *goi18n.Bundle
	// shipped are the languages with a message file, Default first.
	shipped []language.Tag
	// complete are the shipped languages with every message outside the
	// console: only they are offered in the selector and matched from
	// Accept-Language.
	complete []language.Tag
	// console are the complete languages with every console message too.
	console map[string]bool
	matcher language.Matcher
	pseudo  bool
	locs    map[string]*Localizer
	keys    map[string][]string // language → its message ids, sorted
	raw     map[string]map[string][]string
}

var dari = language.MustParse("fa-AF")

var shipped = sync.OnceValues(func() (*Catalogue, error) { return load(files, false) })

// Shipped returns the catalogue of the languages the portal ships. The files
// are embedded, so an error is a broken build, which the package's tests
// catch.
func Shipped() *Catalogue {
	c, err := shipped()
	if err != nil {
		panic(err)
	}
	return c
}

// WithPseudo returns the shipped catalogue plus the pseudo-locale, for
// tests that look for text bypassing the catalogue.
func WithPseudo() (*Catalogue, error) { return load(files, true) }

// load reads every message file of fsys's locales folder.
func load(fsys fs.FS, pseudo bool) (*Catalogue, error) {
	c := &Catalogue{bundle: goi18n.NewBundle(language.MustParse(Default)), pseudo: pseudo,
		locs: map[string]*Localizer{}, keys: map[string][]string{},
		raw: map[string]map[string][]string{}, console: map[string]bool{}}
	c.bundle.RegisterUnmarshalFunc("toml", toml.Unmarshal)
	names, err := fs.Glob(fsys, "locales/*.toml")
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	for _, name := range names {
		if err := c.add(fsys, name); err != nil {
			return nil, err
		}
	}
	slices.SortStableFunc(c.shipped, func(a, b language.Tag) int {
		if a.String() == Default {
			return -1
		}
		if b.String() == Default {
			return 1
		}
		return strings.Compare(a.String(), b.String())
	})
	if len(c.shipped) == 0 || c.shipped[0].String() != Default {
		return nil, fmt.Errorf("i18n: no %s catalogue", Default)
	}
	for _, tag := range c.shipped {
		slices.Sort(c.keys[tag.String()])
		if len(c.Missing(tag.String())) == 0 {
			c.complete = append(c.complete, tag)
			c.console[tag.String()] = len(c.MissingConsole(tag.String())) == 0
		}
		c.locs[tag.String()] = newLocalizer(c, tag, false)
	}
	c.matcher = language.NewMatcher(c.complete)
	if pseudo {
		c.locs[Pseudo] = newLocalizer(c, c.shipped[0], true)
	}
	return c, nil
}

// add loads one message file; a language may have several (active.en.toml
// and console.en.toml), whose messages add up.
func (c *Catalogue) add(fsys fs.FS, name string) error {
	mf, err := c.bundle.LoadMessageFileFS(fsys, name)
	if err != nil {
		return fmt.Errorf("i18n: unable to load %s: %w", path.Base(name), err)
	}
	lang := mf.Tag.String()
	if _, seen := c.keys[lang]; !seen {
		c.shipped = append(c.shipped, mf.Tag)
		c.raw[lang] = map[string][]string{}
	}
	for _, m := range mf.Messages {
		c.keys[lang] = append(c.keys[lang], m.ID)
		c.raw[lang][m.ID] = []string{m.Zero, m.One, m.Two, m.Few, m.Many, m.Other}
	}
	return nil
}

// Keys lists the message ids of a shipped language, sorted.
func (c *Catalogue) Keys(lang string) []string { return c.keys[lang] }

// IsConsole reports a message of the staff console.
func IsConsole(id string) bool { return strings.HasPrefix(id, ConsolePrefix) }

// Missing lists the messages outside the console that the default language
// has and lang lacks: a language without them is not offered.
func (c *Catalogue) Missing(lang string) []string {
	return c.missing(lang, func(id string) bool { return !IsConsole(id) })
}

// MissingConsole lists the console's messages that lang lacks: a language
// without them gets the console in the default language.
func (c *Catalogue) MissingConsole(lang string) []string { return c.missing(lang, IsConsole) }

func (c *Catalogue) missing(lang string, in func(string) bool) []string {
	have := c.keys[lang]
	var missing []string
	for _, id := range c.keys[Default] {
		if !in(id) {
			continue
		}
		if _, found := slices.BinarySearch(have, id); !found {
			missing = append(missing, id)
		}
	}
	return missing
}

// Languages lists the complete languages, the ones a person can choose.
func (c *Catalogue) Languages() []*Localizer {
	list := make([]*Localizer, 0, len(c.complete))
	for _, tag := range c.complete {
		list = append(list, c.locs[tag.String()])
	}
	return list
}

// Rendered lists the languages pages are rendered in: the complete ones,
// and the pseudo-language when the catalogue has it.
func (c *Catalogue) Rendered() []*Localizer {
	list := c.Languages()
	if c.pseudo {
		list = append(list, c.locs[Pseudo])
	}
	return list
}

// Shipped lists every language with a message file, complete or not.
func (c *Catalogue) ShippedLanguages() []string {
	list := make([]string, 0, len(c.shipped))
	for _, tag := range c.shipped {
		list = append(list, tag.String())
	}
	return list
}

// Lookup returns the localizer of a language a person may choose by its
// exact code ("fa-AF"), or false.
func (c *Catalogue) Lookup(code string) (*Localizer, bool) {
	if code == Pseudo && c.pseudo {
		return c.locs[Pseudo], true
	}
	tag, err := language.Parse(code)
	if err != nil || !slices.Contains(c.complete, tag) {
		return nil, false
	}
	return c.locs[tag.String()], true
}

// Console returns the language the staff console speaks to someone who
// reads loc: loc itself when it has every console message, else the default
// language, so a console page never mixes two languages.
func (c *Catalogue) Console(loc *Localizer) *Localizer {
	if loc.pseudo || c.console[loc.code] {
		return loc
	}
	return c.Default()
}

// Default returns the default language's localizer.
func (c *Catalogue) Default() *Localizer { return c.locs[Default] }

// For returns the localizer for a stored choice, or the default language
// when the choice is empty or no longer offered.
func (c *Catalogue) For(code string) *Localizer {
	if l, ok := c.Lookup(code); ok {
		return l
	}
	return c.Default()
}

// Match picks the best complete language for an Accept-Language header.
func (c *Catalogue) Match(acceptLanguage string) *Localizer {
	if len(acceptLanguage) > 256 {
		acceptLanguage = acceptLanguage[:256]
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return c.Default()
	}
	for i, tag := range tags {
		if base, _ := tag.Base(); base.String() == "prs" {
			tags[i] = dari // ISO 639-3 names Dari "prs"; CLDR writes it fa-AF
		}
	}
	_, i, confidence := c.matcher.Match(tags...)
	if confidence == language.No {
		return c.Default()
	}
	return c.locs[c.complete[i].String()]
}
