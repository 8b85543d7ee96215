package routes

import (
	"net/http"

	"courseportal/models"
	"courseportal/models/markdown"

	"github.com/gofiber/fiber/v2"
)

// readerData is the reader page.
type readerData struct {
	Access   *models.Access
	Doc      markdown.Document
	Percent  int
	Done     bool
	Position string
	Prev     *models.SyllabusEntry
	Next     *models.SyllabusEntry
	NextOpen bool
}

// readerShow renders a reading for an enrolled person whose week is open:
// one query for the access checks and progress, one for the syllabus, and
// the article rendered once per version.
func (h *handler) readerShow(c *fiber.Ctx) error {
	a, err := h.store.ReadingAccess(c.UserContext(), currentUser(c).ID, c.Params("slug"), c.Params("reading"))
	if err != nil {
		return h.readingDenied(c, a, err)
	}
	doc, err := h.readers.get(c.UserContext(), h.store, a.Reading)
	if err != nil {
		return err
	}
	syllabus, err := h.store.Syllabus(c.UserContext(), a.Course.ID)
	if err != nil {
		return err
	}
	d := readerData{Access: a, Doc: doc}
	if p := a.Progress; p != nil {
		d.Percent, d.Done, d.Position = p.Percent, p.CompletedAt != nil, p.Position()
		if d.Done {
			d.Percent = 100
		}
	}
	for i := range syllabus {
		if syllabus[i].Slug != a.Reading.Slug {
			continue
		}
		if i > 0 {
			d.Prev = &syllabus[i-1]
		}
		if i+1 < len(syllabus) {
			d.Next = &syllabus[i+1]
			d.NextOpen = a.Cohort.WeekOpen(d.Next.WeekNumber, h.store.Now())
		}
	}
	return h.render(c, http.StatusOK, "reader", page{Title: a.Reading.Title, Scripts: []string{"js/reader.js"}, Data: d})
}
