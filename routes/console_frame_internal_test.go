package routes

import (
	"bytes"
	"html/template"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/views"
	"courseportal/views/i18n"
)

// frameLanguages are the shipped languages (English and Dari, see
// TestRenderedLanguages) and the pseudo-language, with
// the renderer that speaks them.
func frameLanguages(t *testing.T) ([]*i18n.Localizer, *views.Renderer) {
	t.Helper()
	r, err := views.NewWithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	return r.Languages().Rendered(), r
}

// consolePageNames are the console's pages, from their templates.
func consolePageNames(t *testing.T) []string {
	t.Helper()
	entries, err := os.ReadDir("../views/templates/pages")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".html"); ok && strings.HasPrefix(name, "admin_") {
			names = append(names, name)
		}
	}
	if len(names) < 15 {
		t.Fatalf("only %d console pages: %v", len(names), names)
	}
	return names
}

// frameVariation is a console view drawn at random over every branch of
// the layout's head and foot: who reads, the flash, the offline keys, the
// title and description, the scripts and the footer's contact.
func frameVariation(r *rand.Rand) *page {
	pick := func() string { return awkward[r.IntN(len(awkward))] }
	p := &page{Narrow: r.IntN(4) == 0}
	if r.IntN(3) != 0 {
		p.Title = pick()
	}
	if r.IntN(3) == 0 {
		p.Description = pick()
	}
	if r.IntN(2) == 0 {
		p.Scripts = []string{"js/admin.js"}
	}
	if r.IntN(8) != 0 {
		p.User = &models.User{Role: []string{models.RoleInstructor, models.RoleAdmin, models.RoleStudent}[r.IntN(3)]}
		p.OfflineKey, p.OfflineSession = pick(), pick()
	}
	if r.IntN(3) == 0 {
		p.Flash = &flash{Kind: []string{"success", "info", `x"y`}[r.IntN(3)], Message: pick()}
	}
	if r.IntN(2) == 0 {
		p.Contact = models.Contact{Provider: pick(), Email: "team+" + pick() + "@example.org", URL: "https://example.org/" + pick(),
			Phone: "(+91) 120 4565994"}
	}
	return reFrame(r, p)
}

// reFrame gives a view of the same shape its own values.
func reFrame(r *rand.Rand, p *page) *page {
	pick := func() string { return awkward[r.IntN(len(awkward))] + awkward[r.IntN(len(awkward))] }
	v := *p
	v.CSRF, v.Here = pick(), pick()
	if v.Title != "" {
		v.Title = "t" + pick()
	}
	if v.Description != "" {
		v.Description = "d" + pick()
	}
	if v.OfflineKey != "" {
		v.OfflineKey, v.OfflineSession = "k"+pick(), "s"+pick()
	}
	if v.Flash != nil {
		v.Flash = &flash{Kind: v.Flash.Kind, Message: pick()}
	}
	return &v
}

// lookupFrame is a view's frame from pieces, which it must have.
func lookupFrame(t *testing.T, fs *frameShapes, renderer *views.Renderer, loc *i18n.Localizer, name string,
	p *page) (*frameShape, frameKey, frameValues) {
	t.Helper()
	key, values, ok := frameOf(name, loc, p)
	if !ok {
		t.Fatalf("%s: no frame for %s", loc.Code(), name)
	}
	shape, err := fs.lookup(renderer, loc, key, p)
	if err != nil {
		t.Fatal(err)
	}
	if shape == nil {
		t.Fatalf("%s: the templates write the frame of %s: %+v", loc.Code(), name, key)
	}
	return shape, key, values
}

// The layout's head and foot written from pieces are the templates' bytes
// on every console page, in every language and on every branch, whatever
// the values hold.
func TestConsoleFrameHeadAndFootAreTheTemplatesBytes(t *testing.T) {
	locs, renderer := frameLanguages(t)
	names := consolePageNames(t)
	r := rand.New(rand.NewPCG(3, 4))
	fs := newFrameShapes()
	views := 0
	for _, loc := range locs {
		for _, name := range names {
			for range 12 {
				shapeP := frameVariation(r)
				for range 3 {
					p := reFrame(r, shapeP)
					shape, key, values := lookupFrame(t, fs, renderer, loc, name, p)
					if key.whole {
						t.Fatalf("%s: a page without a body written in Go framed whole", name)
					}
					for i, part := range frameAround {
						want, err := renderer.Part(name, part, loc, p)
						if err != nil {
							t.Fatal(err)
						}
						if got := shape.appendPart(nil, i, &values); !bytes.Equal(got, want) {
							t.Fatalf("%s %s %s: pieces differ from the template:\n%s\n----\n%s", loc.Code(), name, part, got, want)
						}
					}
					views++
				}
			}
		}
	}
	if want := len(locs) * len(names) * 12 * 3; views != want {
		t.Fatalf("%d views through pieces, want %d", views, want)
	}
}

// courseHeaderTabs are the course header's tabs, and none open.
var courseHeaderTabs = []string{"details", "readings", "cohorts", "roster", ""}

// framedInsight is an insight page's data with a course header's shape.
func framedInsight(name string, a adminPage, body template.HTML) any {
	if name == "admin_insight_cohort" {
		return adminCohortInsightData{adminPage: a, Body: body}
	}
	return adminReadingInsightData{adminPage: a, Body: body}
}

// The insight pages written whole from pieces (the layout, the console's
// menu and the course header around the body written in Go) are the
// templates' bytes for every shape of the menu and the header: instructor
// and admin, every tab, published or draft, in every language, whatever
// the course's title, the body and the layout's values hold.
func TestConsoleFrameOfInsightPagesIsTheTemplatesBytes(t *testing.T) {
	locs, renderer := frameLanguages(t)
	r := rand.New(rand.NewPCG(5, 6))
	fs := newFrameShapes()
	pick := func() string { return awkward[r.IntN(len(awkward))] }
	views := 0
	for _, loc := range locs {
		for _, name := range []string{"admin_insight_reading", "admin_insight_cohort"} {
			for _, role := range []string{models.RoleInstructor, models.RoleAdmin} {
				for _, tab := range courseHeaderTabs {
					for _, published := range []bool{true, false} {
						shapeP := frameVariation(r)
						shapeP.User = &models.User{Role: role}
						for range 3 {
							p := reFrame(r, shapeP)
							course := &models.Course{Slug: []string{"intro", "a-b-2", "X9"}[r.IntN(3)], Title: pick() + pick(), Published: published}
							p.Data = framedInsight(name, adminPage{Course: course, Tab: tab}, template.HTML("<p>"+pick()+"</p>"))
							shape, key, values := lookupFrame(t, fs, renderer, loc, name, p)
							if !key.whole {
								t.Fatalf("%s: an insight page not framed whole", name)
							}
							var want bytes.Buffer
							if err := renderer.Render(&want, name, loc, p); err != nil {
								t.Fatal(err)
							}
							if got := shape.appendPart(nil, 0, &values); !bytes.Equal(got, want.Bytes()) {
								t.Fatalf("%s %s %s: pieces differ from the templates:\n%s\n----\n%s", loc.Code(), name, role, got, want.Bytes())
							}
							views++
						}
					}
				}
			}
		}
	}
	if want := len(locs) * 2 * 2 * len(courseHeaderTabs) * 2 * 3; views != want {
		t.Fatalf("%d views through pieces, want %d", views, want)
	}
}

// A course whose slug a URL would escape keeps its menu and header with
// the templates (only the layout's head and foot come from pieces), and
// pages outside the console keep the templates entirely.
func TestConsoleFrameLeavesWhatPiecesCannotWrite(t *testing.T) {
	loc := i18n.Shipped().Default()
	p := &page{User: &models.User{Role: models.RoleAdmin}}
	p.Data = framedInsight("admin_insight_reading", adminPage{Course: &models.Course{Slug: "a b<c", Title: "T"}, Tab: "readings"}, "")
	key, _, ok := frameOf("admin_insight_reading", loc, p)
	if !ok || key.whole {
		t.Fatalf("a slug that a URL escapes: framed %v, whole %v", ok, key.whole)
	}
	if _, _, ok := frameOf("dashboard", loc, p); ok {
		t.Fatal("a student page was given a console frame")
	}
}
