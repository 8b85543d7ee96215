package i18n

import (
	"fmt"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Localizer speaks one language: it looks messages up, fills in their data
// and formats dates.
type Localizer struct {
	code   string
	tag    language.Tag
	dir    string
	pseudo bool
	l      *goi18n.Localizer
	c      *Catalogue
	// dates keeps what Date wrote, by day as yyyymmdd (up to
	// maxKeptDates of them): a long table writes the same days again and
	// again, and each costs two message look-ups.
	dates     sync.Map
	datesKept atomic.Int32
	// plain keeps the messages looked up without data, by id: a page asks
	// for the same labels on every view, and each look-up walks the
	// bundle and runs the message's template. Only messages the catalogue
	// holds are kept, so there are never more than it has.
	plain sync.Map
	// counted keeps the messages looked up with a count alone, by id and
	// count, and shortDates what ShortDate wrote, by day (up to
	// maxKeptDates of each): a long table words the same few counts and
	// days on every row.
	counted, shortDates         sync.Map
	countedKept, shortDatesKept atomic.Int32
}

// countedKey is a message and the count it was looked up for.
type countedKey struct {
	id    string
	count int
}

// maxKeptDates bounds the days, and the counted messages, a Localizer
// keeps written out.
const maxKeptDates = 4096

func newLocalizer(c *Catalogue, tag language.Tag, pseudo bool) *Localizer {
	code := tag.String()
	if pseudo {
		code = Pseudo
	}
	return &Localizer{code: code, tag: tag, dir: direction(tag), pseudo: pseudo,
		l: goi18n.NewLocalizer(c.bundle, tag.String()), c: c}
}

// rightToLeft are the scripts written from right to left.
var rightToLeft = map[string]bool{"Arab": true, "Hebr": true, "Thaa": true, "Syrc": true,
	"Nkoo": true, "Adlm": true, "Rohg": true, "Mand": true, "Samr": true}

// direction is "rtl" for languages whose likely script runs right to left.
func direction(tag language.Tag) string {
	script, _ := tag.Script()
	if rightToLeft[script.String()] {
		return "rtl"
	}
	return "ltr"
}

// Code is the language's BCP 47 code, as in <html lang> and ?lang=.
func (l *Localizer) Code() string { return l.code }

// Dir is the writing direction: "ltr" or "rtl".
func (l *Localizer) Dir() string { return l.dir }

// Name is the language's own name for itself, for the selector.
func (l *Localizer) Name() string { return l.T("language.name") }

// T returns a message, its {{.Field}} placeholders filled from pairs of
// field names and values ("Course", title, "Count", 3).
func (l *Localizer) T(id string, pairs ...any) string {
	if len(pairs) == 0 {
		if s, ok := l.plain.Load(id); ok {
			return s.(string)
		}
	}
	return l.localize(id, nil, pairs)
}

// N returns the plural form of a message for count (any integer type),
// which is also the message's {{.Count}}.
func (l *Localizer) N(id string, count any, pairs ...any) string {
	n, isInt := count.(int)
	if !isInt || len(pairs) > 0 {
		return l.localize(id, count, append([]any{"Count", count}, pairs...))
	}
	key := countedKey{id, n}
	if s, ok := l.counted.Load(key); ok {
		return s.(string)
	}
	s, found := l.lookup(id, count, []any{"Count", count})
	if found && l.countedKept.Load() < maxKeptDates {
		if _, had := l.counted.LoadOrStore(key, s); !had {
			l.countedKept.Add(1)
		}
	}
	return s
}

func (l *Localizer) localize(id string, count any, pairs []any) string {
	msg, found := l.lookup(id, count, pairs)
	if found && count == nil && len(pairs) == 0 {
		l.plain.Store(id, msg)
	}
	return msg
}

// lookup words a message, and reports whether the catalogue holds it.
func (l *Localizer) lookup(id string, count any, pairs []any) (string, bool) {
	data := make(map[string]any, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		key, _ := pairs[i].(string)
		data[key] = pairs[i+1]
	}
	msg, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: id, TemplateData: data, PluralCount: count})
	if err != nil && msg == "" {
		// A missing message shows its id rather than nothing; the
		// catalogue tests make sure none is missing in a shipped language.
		msg = id
	}
	if l.pseudo {
		msg = "⟦" + msg + "⟧"
	}
	return msg, err == nil
}

// Date formats a day the way the language writes it, like "18 March 2021".
func (l *Localizer) Date(t time.Time) string {
	t = t.UTC()
	day := t.Year()*10000 + int(t.Month())*100 + t.Day()
	if s, ok := l.dates.Load(day); ok {
		return s.(string)
	}
	s := l.T("date.long", "Day", t.Day(), "Month", l.month(t.Month()), "Year", t.Year())
	if l.datesKept.Load() < maxKeptDates {
		if _, had := l.dates.LoadOrStore(day, s); !had {
			l.datesKept.Add(1)
		}
	}
	return s
}

// WeekDate formats a day with its weekday, like "Thursday 18 March 2021".
func (l *Localizer) WeekDate(t time.Time) string {
	t = t.UTC()
	return l.T("date.weekday_long", "Weekday", l.T("date.weekday."+strconv.Itoa(int(t.Weekday()))),
		"Day", t.Day(), "Month", l.month(t.Month()), "Year", t.Year())
}

// Duration words a wait or a span the way models.HumanDuration does in
// English: seconds below a minute, else whole minutes rounded up.
func (l *Localizer) Duration(d time.Duration) string {
	secs := int((d + time.Second - 1) / time.Second)
	if secs < 60 {
		return l.N("duration.seconds", secs)
	}
	return l.N("duration.minutes", (secs+59)/60)
}

// Span words a length of time in its largest whole unit, like "14 days",
// "12 hours" or "75 minutes".
func (l *Localizer) Span(d time.Duration) string {
	switch {
	case d%(24*time.Hour) == 0:
		return l.N("duration.days", int(d/(24*time.Hour)))
	case d%time.Hour == 0:
		return l.N("duration.hours", int(d/time.Hour))
	}
	return l.N("duration.minutes", int(d/time.Minute))
}

// DateTime formats a moment in UTC, like "18 Mar 2021, 14:05 UTC".
func (l *Localizer) DateTime(t time.Time) string {
	t = t.UTC()
	return l.T("date.time", "Day", t.Day(), "Month", l.ShortMonth(t), "Year", t.Year(),
		"Clock", t.Format("15:04"))
}

// ShortDate formats a day with the month shortened, like "18 Mar 2021".
func (l *Localizer) ShortDate(t time.Time) string {
	t = t.UTC()
	day := t.Year()*10000 + int(t.Month())*100 + t.Day()
	if s, ok := l.shortDates.Load(day); ok {
		return s.(string)
	}
	s := l.T("date.long", "Day", t.Day(), "Month", l.ShortMonth(t), "Year", t.Year())
	if l.shortDatesKept.Load() < maxKeptDates {
		if _, had := l.shortDates.LoadOrStore(day, s); !had {
			l.shortDatesKept.Add(1)
		}
	}
	return s
}

// ShortMonth is the month of a day, shortened, like "Mar".
func (l *Localizer) ShortMonth(t time.Time) string {
	return l.T("date.month_short." + strconv.Itoa(int(t.UTC().Month())))
}

func (l *Localizer) month(m time.Month) string {
	if m < time.January || m > time.December {
		return fmt.Sprint(int(m))
	}
	return l.T("date.month." + strconv.Itoa(int(m)))
}

// Has reports whether the catalogue holds a message id.
func (l *Localizer) Has(id string) bool {
	_, err := l.l.Localize(&goi18n.LocalizeConfig{MessageID: id})
	return err == nil
}

// Known returns the language's version of an English sentence the code
// carries as text (a validation or error message), when the catalogue has it
// under "msg.<the sentence>" (or, for the staff console's,
// "console.msg.<the sentence>"); a sentence with numbers in it is kept with
// {{.N1}}, {{.N2}} … in their places ("Try again in {{.N1}} minutes.").
// Otherwise it returns the sentence as it is.
func (l *Localizer) Known(english string) string {
	if english == "" || len(english) > 300 {
		return english
	}
	if id, ok := l.sentence(english); ok {
		return l.T(id)
	}
	numbers := digits.FindAllString(english, maxNumbers+1)
	if len(numbers) == 0 || len(numbers) > maxNumbers {
		return english
	}
	n := 0
	pattern := digits.ReplaceAllStringFunc(english, func(string) string {
		n++
		return "{{.N" + strconv.Itoa(n) + "}}"
	})
	id, ok := l.sentence(pattern)
	if !ok {
		return english
	}
	pairs := make([]any, 0, 2*len(numbers))
	for i, number := range numbers {
		pairs = append(pairs, "N"+strconv.Itoa(i+1), number)
	}
	return l.T(id, pairs...)
}

// sentence is the id under which the catalogue keeps a sentence.
func (l *Localizer) sentence(english string) (string, bool) {
	for _, id := range []string{"msg." + english, ConsolePrefix + "msg." + english} {
		if l.Has(id) {
			return id, true
		}
	}
	return "", false
}

// digits finds the numbers of a sentence; Known keeps at most maxNumbers.
var digits = regexp.MustCompile(`[0-9]+`)

const maxNumbers = 3

// Raw returns the untranslated forms of a message (every plural form), for
// the tests that compare catalogues.
func (l *Localizer) Raw(id string) []string {
	return l.c.raw[l.tag.String()][id]
}
