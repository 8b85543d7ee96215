package routes

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

var studentCSVHeader = []string{"Week", "Reading", "Slug", "Required", "Percent", "Furthest paragraph",
	"Minutes read", "First opened (UTC)", "Last activity (UTC)", "Completed (UTC)",
	"Check score", "Check passed", "Check attempts"}

// studentProgressCSV exports one student's progress, reading by reading.
// The syllabus is small, so it is written in one piece.
func (h *handler) studentProgressCSV(c *fiber.Ctx) error {
	course := managedCourse(c)
	userID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	sp, err := h.store.StudentProgressIn(c.UserContext(), course.ID, userID)
	if err != nil {
		return err
	}
	rows := [][]string{
		{"Student", sp.User.FullName, sp.User.Email},
		{"Course", course.Title, "Enrollment: " + sp.Enrollment.Status},
		append([]string(nil), studentCSVHeader...),
	}
	for _, r := range sp.Readings {
		rows = append(rows, studentRecord(&r))
	}
	var buf bytes.Buffer
	if err := writeCSV(&buf, c.Query("bom") != "0", rows); err != nil {
		return err
	}
	setCSVHeaders(c, fmt.Sprintf("progress-%s-%d-%s.csv", course.Slug, userID, h.store.Now().Format(time.DateOnly)))
	return c.Send(buf.Bytes())
}

// studentRecord is one reading's row; the check columns stay empty when
// the reading has no check.
func studentRecord(r *models.StudentReading) []string {
	record := []string{strconv.Itoa(r.Week), r.Title, r.Slug, yesNo(r.Required), strconv.Itoa(r.Percent),
		strconv.Itoa(r.Furthest), strconv.Itoa((r.SecondsRead + 30) / 60), csvDate(r.FirstOpenedAt),
		csvDate(r.LastActivityAt), csvDate(r.CompletedAt), "", "", ""}
	if r.Checked {
		checkRecord([]models.CheckScore{r.CheckScore}, record[len(record)-3:])
	}
	return record
}
