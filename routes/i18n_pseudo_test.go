package routes_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"courseportal/models"
	"courseportal/routes"
	"courseportal/views"
	"courseportal/views/i18n"

	"golang.org/x/net/html"
)

// newPseudoEnv serves pages and writes mail in the pseudo-locale, which
// wraps every catalogue message in ⟦…⟧: text outside the brackets did not
// come from the catalogue.
func newPseudoEnv(t *testing.T) *env {
	t.Helper()
	langs, err := i18n.WithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := views.NewIn(langs)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnvWith(t, func(o *routes.Options) { o.Views = renderer })
	e.store.UseLanguages(langs)
	return e
}

// TestStudentPagesSpeakOnlyThroughTheCatalogue walks the student journey in
// the pseudo-locale and fails on any visible word outside ⟦…⟧ that is not
// the person's or the course's own text. The staff console has its own walk,
// TestConsolePagesSpeakOnlyThroughTheCatalogue.
func TestStudentPagesSpeakOnlyThroughTheCatalogue(t *testing.T) {
	e := newPseudoEnv(t)
	c := e.client()
	c.cookies["lang"] = i18n.Pseudo
	data := userData(t, e)
	check := func(path string, res response) {
		t.Helper()
		if !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
			return // a redirect
		}
		if !strings.Contains(res.Body, `<html lang="x-pseudo" dir="ltr">`) {
			t.Errorf("%s (%d) is not in the pseudo-locale", path, res.Status)
		}
		if leaked := untranslated(t, res.Body, data); len(leaked) > 0 {
			t.Errorf("%s (%d): words bypass the catalogue: %q", path, res.Status, strings.Join(leaked, " "))
		}
	}
	visit := func(paths ...string) {
		t.Helper()
		for _, p := range paths {
			check(p, c.get(p))
		}
	}

	visit("/", "/courses/"+courseSlug, "/join/"+courseSlug, "/signup", "/login", "/login?next=/learn/"+courseSlug,
		"/password/forgot", "/verify", "/verify?code=7KQ2M-9XDT4-RAB3C", "/certificates/7KQ2M9XDT4RAB3C",
		"/no-such-page", "/offline", "/password/reset/not-a-token", "/verify-email/not-a-token", "/privacy", "/accessibility")
	check("refused sign-up", c.postForm("/signup", url.Values{"full_name": {"Farid"}, "email": {"not-an-address"}, "password": {"x"}}))
	check("refused login", c.postForm("/login", url.Values{"email": {"nobody@example.org"}, "password": {"wrong-password-1"}}))
	check("reset asked", c.postForm("/password/forgot", url.Values{"email": {"nobody@example.org"}}))

	name, email := "Farid Ahmadi فرید احمدی", "farid@example.org"
	res := c.postForm("/join/"+courseSlug, url.Values{"full_name": {name}, "email": {email}, "password": {"s3cret-passphrase"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("join = %d\n%s", res.Status, res.Body)
	}
	data = append(data, name, email)
	reader := "/learn/" + courseSlug + "/readings/" + readingSlug
	visit("/dashboard", "/learn/"+courseSlug, reader, "/account", "/account/mfa", reader+"/check", "/join/"+courseSlug+"x")
	check("check refused", c.postForm(reader+"/check", url.Values{}))
	openSeededCertificates(t, e)
	removeSeededCheck(t, e) // so that "Mark as complete" completes the course
	check("too soon", c.postForm(reader+"/complete", nil))
	check("refused name", c.postForm("/account/profile", url.Values{"full_name": {" "}}))
	e.clock.Advance(2 * time.Hour)
	c.get(reader) // the reading opened long enough ago
	if res := c.postForm(reader+"/complete", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("complete = %d\n%s", res.Status, res.Body)
	}
	visit("/learn/"+courseSlug, "/dashboard")
	var cert models.Certificate
	if err := e.store.DB().Take(&cert).Error; err != nil {
		t.Fatalf("no certificate: %v", err)
	}
	visit("/certificates/" + cert.Code)
	// The account mails: a new address to confirm, a password changed, a
	// reset link; and the pages their forms answer with.
	check("email refused", c.postForm("/account/email", url.Values{"email": {"farid.new@example.org"}, "current_password": {"wrong"}}))
	check("password refused", c.postForm("/account/password", url.Values{"current_password": {"s3cret-passphrase"}, "password": {"short"}}))
	for _, step := range []struct {
		path string
		form url.Values
	}{
		{"/account/email", url.Values{"email": {"farid.new@example.org"}, "current_password": {"s3cret-passphrase"}}},
		{"/account/password", url.Values{"current_password": {"s3cret-passphrase"}, "password": {"second passphrase"}}},
		{"/account/verification/resend", nil},
	} {
		if res := c.postForm(step.path, step.form); res.Status != http.StatusSeeOther {
			t.Fatalf("%s = %d\n%s", step.path, res.Status, res.Body)
		}
		visit("/account")
	}
	data = append(data, "farid.new@example.org")
	if res := e.client().postForm("/password/forgot", url.Values{"email": {email}}); res.Status != http.StatusOK {
		t.Fatalf("reset asked = %d", res.Status)
	}

	u := e.userOf(email)
	if u.Language != i18n.Pseudo {
		t.Errorf("the account kept %q, not the language it joined in", u.Language)
	}
	var mails []models.OutboxEntry
	if err := e.store.DB().Where("user_id = ?", u.ID).Find(&mails).Error; err != nil {
		t.Fatal(err)
	}
	kinds := map[string]bool{}
	for _, m := range mails {
		kinds[m.Kind] = true
	}
	for _, kind := range []string{models.MailVerifyEmail, models.MailEnrolled, models.MailCertificate,
		models.MailEmailChange, models.MailPasswordChanged, models.MailPasswordReset} {
		if !kinds[kind] {
			t.Errorf("no %s mail to the new student (%v)", kind, kinds)
		}
	}
	for _, m := range mails {
		if leaked := leaks(m.Subject+"\n"+m.BodyText, data); len(leaked) > 0 {
			t.Errorf("mail %s: words bypass the catalogue: %q\n%s", m.Kind, strings.Join(leaked, " "), m.BodyText)
		}
	}
}

// userData lists the course's and cohorts' own text, which pages show as
// written: titles, summaries, names, contact details.
func userData(t *testing.T, e *env) []string {
	t.Helper()
	outline, err := e.store.CourseOutline(t.Context(), courseSlug, true)
	if err != nil {
		t.Fatal(err)
	}
	var cohorts []string
	if err := e.store.DB().Table("cohorts").Pluck("name", &cohorts).Error; err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(outline)
	if err != nil {
		t.Fatal(err)
	}
	var tree any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	data := append(strings_(tree), cohorts...)
	for _, s := range data {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			data = append(data, u.Host) // the footer shows a link's host
		}
	}
	for _, w := range outline.Weeks {
		for _, r := range w.Readings {
			check, err := e.store.CheckOf(t.Context(), r.ID)
			if errors.Is(err, models.ErrNotFound) || errors.Is(err, models.ErrNoCheck) {
				continue
			}
			if err != nil {
				t.Fatal(err)
			}
			if raw, err = json.Marshal(check); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal(raw, &tree); err != nil {
				t.Fatal(err)
			}
			data = append(data, strings_(tree)...)
		}
	}
	return data
}

// strings_ collects every string value of a decoded JSON tree.
func strings_(v any) []string {
	switch v := v.(type) {
	case string:
		if len(v) > 1 {
			return []string{v}
		}
	case []any:
		var out []string
		for _, x := range v {
			out = append(out, strings_(x)...)
		}
		return out
	case map[string]any:
		var out []string
		for _, x := range v {
			out = append(out, strings_(x)...)
		}
		return out
	}
	return nil
}

// skipped are elements whose text is the course's content or a secret, not
// interface: the reading itself, its table of contents (its headings), a
// reading's preview and the first words of its paragraphs (the console's
// paragraph choices), code-like values, the language names of the selector
// (each written in its own language on purpose), an email's text as it was
// written to its recipient, and the certificate's criteria, stored with it
// in the words of its signed credential. A chart's drawn labels and hover
// note are skipped too: they repeat, clipped to fit, the title of their
// point, which is checked whole.
func skipped(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	switch n.Data {
	case "script", "style", "code", "textarea":
		return true
	case "option":
		return attr(n, "lang") != "" || strings.HasPrefix(attr(n, "value"), "p-")
	case "article":
		return attr(n, "id") == "reading"
	case "dd":
		// The criteria are stored with the certificate, in the words of
		// its signed credential.
		return attr(n, "id") == "certificate-criteria"
	}
	class := " " + attr(n, "class") + " "
	for _, name := range []string{"toc", "mfa-secret", "cert-id", "preview", "insight-opening", "mail-text", "criteria",
		"chart-note", "chart-label", "chart-mark-label", "chart-axis"} {
		if strings.Contains(class, " "+name+" ") {
			return true
		}
	}
	return false
}

// untranslated returns the words of a page, text and user-facing
// attributes, that are neither inside ⟦…⟧ nor user data.
func untranslated(t *testing.T, page string, data []string) []string {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	var found []string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if skipped(n) {
			return
		}
		switch n.Type {
		case html.TextNode:
			text.WriteString(n.Data)
		case html.ElementNode:
			for _, a := range []string{"aria-label", "title", "alt", "placeholder"} {
				if v := attr(n, a); v != "" {
					found = append(found, leaks(v, data)...)
				}
			}
			for _, a := range n.Attr {
				if strings.HasPrefix(a.Key, "data-text-") { // the scripts' messages
					found = append(found, leaks(a.Val, data)...)
				}
			}
			if n.Data == "input" && (attr(n, "type") == "submit" || attr(n, "type") == "button") {
				found = append(found, leaks(attr(n, "value"), data)...)
			}
			text.WriteString(" ")
		}
		for child := n.FirstChild; child != nil; child = child.NextSibling {
			walk(child)
		}
		if n.Type == html.ElementNode {
			text.WriteString(" ")
		}
	}
	walk(doc)
	return append(found, leaks(text.String(), data)...)
}

var (
	bracketed = regexp.MustCompile(`⟦[^⟦⟧]*⟧`)
	links     = regexp.MustCompile(`(https?://|/)[^\s]*`)
)

// leaks removes the catalogue's messages, the user data, links and tokens
// with digits (codes, times, counts), and returns the words left.
func leaks(s string, data []string) []string {
	for {
		next := bracketed.ReplaceAllString(s, " ")
		if next == s {
			break
		}
		s = next
	}
	sorted := slices.Clone(data)
	slices.SortFunc(sorted, func(a, b string) int { return len(b) - len(a) })
	for _, d := range sorted {
		s = strings.ReplaceAll(s, d, " ")
	}
	s = links.ReplaceAllString(s, " ")
	var words []string
	for _, tok := range strings.Fields(s) {
		if strings.ContainsFunc(tok, unicode.IsDigit) {
			continue
		}
		if strings.ContainsFunc(tok, unicode.IsLetter) {
			words = append(words, tok)
		}
	}
	return words
}
