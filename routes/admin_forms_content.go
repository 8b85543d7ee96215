package routes

import (
	"strconv"
	"strings"

	"courseportal/models"
	"courseportal/models/markdown"

	"github.com/gofiber/fiber/v2"
)

// adminCourseForm is the course details form.
type adminCourseForm struct {
	Title        string
	Subtitle     string
	Description  string
	Provider     string
	ContactEmail string
	ContactURL   string
	ContactPhone string
	Published    bool
	// CertificatesOpen lets the course certify before every week has a
	// required reading.
	CertificatesOpen bool
}

func courseFormOf(c *models.Course) adminCourseForm {
	return adminCourseForm{Title: c.Title, Subtitle: c.Subtitle, Description: c.Description, Provider: c.Provider,
		ContactEmail: c.ContactEmail, ContactURL: c.ContactURL, ContactPhone: c.ContactPhone, Published: c.Published,
		CertificatesOpen: c.CertificatesOpen}
}

func parseCourseForm(c *fiber.Ctx) (adminCourseForm, error) {
	if err := requireForm(c); err != nil {
		return adminCourseForm{}, err
	}
	return adminCourseForm{
		Title: formLine(c.FormValue("title")), Subtitle: formLine(c.FormValue("subtitle")),
		Description: strings.TrimSpace(formText(c.FormValue("description"))), Provider: formLine(c.FormValue("provider")),
		ContactEmail: models.NormalizeEmail(formLine(c.FormValue("contact_email"))),
		ContactURL:   formLine(c.FormValue("contact_url")), ContactPhone: formLine(c.FormValue("contact_phone")),
		Published: formBool(c.FormValue("published")), CertificatesOpen: formBool(c.FormValue("certificates_open")),
	}, nil
}

func (f adminCourseForm) validate() formErrors {
	errs := formErrors{}
	errs.checkLength("title", "The title", f.Title, true, 200)
	// A certificate's credential names the course's subtitle and provider.
	errs.checkLength("subtitle", "The subtitle", f.Subtitle, true, 300)
	errs.checkLength("description", "The description", f.Description, false, 5000)
	errs.checkLength("provider", "The provider", f.Provider, true, 200)
	if f.ContactEmail != "" {
		if err := models.ValidateEmail(f.ContactEmail); err != nil {
			errs["contact_email"] = "Enter a valid email address, like team@example.org."
		}
	}
	errs.checkURL("contact_url", f.ContactURL)
	errs.checkLength("contact_phone", "The phone number", f.ContactPhone, false, 50)
	return errs
}

func (f adminCourseForm) details() models.CourseDetails {
	return models.CourseDetails{Title: f.Title, Subtitle: f.Subtitle, Description: f.Description, Provider: f.Provider,
		ContactEmail: f.ContactEmail, ContactURL: f.ContactURL, ContactPhone: f.ContactPhone, Published: f.Published,
		CertificatesOpen: f.CertificatesOpen}
}

// adminWeekForm is one week's title and summary.
type adminWeekForm struct {
	Title   string
	Summary string
}

func parseWeekForm(c *fiber.Ctx) (adminWeekForm, error) {
	if err := requireForm(c); err != nil {
		return adminWeekForm{}, err
	}
	return adminWeekForm{Title: formLine(c.FormValue("title")), Summary: strings.TrimSpace(formText(c.FormValue("summary")))}, nil
}

func (f adminWeekForm) validate() formErrors {
	errs := formErrors{}
	errs.checkLength("title", "The week's title", f.Title, true, 200)
	errs.checkLength("summary", "The summary", f.Summary, false, 2000)
	return errs
}

// adminReadingForm is the reading editor.
type adminReadingForm struct {
	Week         int
	Slug         string
	Title        string
	Author       string
	SourceName   string
	SourceURL    string
	BodyMarkdown string
	Disclaimer   string
	Credits      string
	Required     bool
	Published    bool
	// MinMinutes is the minimum reading time as typed: empty for the
	// default (half the estimated reading time), 0 for none.
	MinMinutes string
	// Language is the text's language tag as typed ("" to detect it).
	Language string
	// Version is the version the editor was opened at.
	Version int
	// Preview is true when the "Preview" button sent the form.
	Preview bool
}

func readingFormOf(r *models.Reading, week int) adminReadingForm {
	return adminReadingForm{Week: week, Slug: r.Slug, Title: r.Title, Author: r.Author, SourceName: r.SourceName,
		SourceURL: r.SourceURL, BodyMarkdown: r.BodyMarkdown, Disclaimer: r.Disclaimer, Credits: r.Credits,
		Required: r.Required, Published: r.Published, Version: r.Version, MinMinutes: minutesText(r.MinMinutes),
		Language: r.Language}
}

func parseReadingForm(c *fiber.Ctx) (adminReadingForm, error) {
	if err := requireForm(c); err != nil {
		return adminReadingForm{}, err
	}
	week, _ := strconv.Atoi(strings.TrimSpace(c.FormValue("week")))
	version, _ := strconv.Atoi(strings.TrimSpace(c.FormValue("version")))
	f := adminReadingForm{
		Week: week, Slug: strings.ToLower(formLine(c.FormValue("slug"))), Title: formLine(c.FormValue("title")),
		Author: formLine(c.FormValue("author")), SourceName: formLine(c.FormValue("source_name")),
		SourceURL: formLine(c.FormValue("source_url")), BodyMarkdown: formText(c.FormValue("body_markdown")),
		Disclaimer: strings.TrimSpace(formText(c.FormValue("disclaimer"))), Credits: strings.TrimSpace(formText(c.FormValue("credits"))),
		Required: formBool(c.FormValue("required")), Published: formBool(c.FormValue("published")),
		Version: version, Preview: c.FormValue("action") == "preview", MinMinutes: formLine(c.FormValue("min_minutes")),
		Language: formLine(c.FormValue("language")),
	}
	if f.Slug == "" {
		f.Slug = slugify(f.Title)
	}
	return f, nil
}

// reservedReadingSlugs would clash with the console's own addresses.
var reservedReadingSlugs = map[string]bool{"new": true}

func (f adminReadingForm) validate() formErrors {
	errs := formErrors{}
	if f.Week < 1 {
		errs["week"] = "Choose the week the reading belongs to."
	}
	errs.checkLength("title", "The title", f.Title, true, 300)
	if v, bad := models.AsValidation(models.ValidateSlug("slug", f.Slug)); bad {
		errs["slug"] = v.Message
	} else if reservedReadingSlugs[f.Slug] {
		errs["slug"] = "“" + f.Slug + "” is reserved; choose another slug."
	}
	errs.checkLength("author", "The author", f.Author, false, 200)
	errs.checkLength("source_name", "The source", f.SourceName, false, 200)
	errs.checkURL("source_url", f.SourceURL)
	errs.checkLength("disclaimer", "The disclaimer", f.Disclaimer, false, 2000)
	errs.checkLength("credits", "The sources note", f.Credits, false, 2000)
	if _, ok := parseMinutes(f.MinMinutes); !ok {
		errs["min_minutes"] = "Give the minimum reading time in whole minutes, from 0 (none) to 600, or leave it empty."
	}
	if _, err := models.ParseLanguageTag(f.Language); err != nil {
		if v, bad := models.AsValidation(err); bad {
			errs["language"] = v.Message
		}
	}
	switch {
	case strings.TrimSpace(f.BodyMarkdown) == "":
		errs["body_markdown"] = "The text is required."
	case len(f.BodyMarkdown) > markdown.MaxSourceBytes:
		errs["body_markdown"] = "The text is too long (512 KB at most)."
	}
	return errs
}

func (f adminReadingForm) input() models.ReadingInput {
	minutes, _ := parseMinutes(f.MinMinutes)
	lang, _ := models.ParseLanguageTag(f.Language)
	return models.ReadingInput{Language: lang, WeekNumber: f.Week, Slug: f.Slug, Title: f.Title, Author: f.Author,
		SourceName: f.SourceName, SourceURL: f.SourceURL, BodyMarkdown: f.BodyMarkdown, Disclaimer: f.Disclaimer,
		Credits: f.Credits, Required: f.Required, Published: f.Published, MinMinutes: minutes}
}

// parseMinutes reads the minimum reading time field: empty is nil (the
// default), otherwise 0 to 600 minutes.
func parseMinutes(text string) (*int, bool) {
	if text == "" {
		return nil, true
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < 0 || n > 600 {
		return nil, false
	}
	return &n, true
}

func minutesText(minutes *int) string {
	if minutes == nil {
		return ""
	}
	return strconv.Itoa(*minutes)
}

// slugify proposes a slug from a title: "Week 2: Theories" → "week-2-theories".
func slugify(title string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(title) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 80 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}
