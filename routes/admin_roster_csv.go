package routes

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// csvFlushEvery is how many rows go out per network flush.
const csvFlushEvery = 200

// utf8BOM starts every export. Excel, still what most instructors open a
// CSV with, reads a file without it as the local 8-bit code page and garbles
// names like "Zoë" or "Ahmadī"; LibreOffice, Numbers and Google Sheets accept
// it, and so do scripts reading with "utf-8-sig". ?bom=0 leaves it out.
const utf8BOM = "\ufeff"

// csvTime is the format spreadsheets read as a date and time.
const csvTime = "2006-01-02 15:04:05"

var rosterCSVHeader = []string{"Name", "Email", "Cohort", "Status", "Percent complete", "Readings completed",
	"Readings required", "Readings due", "Last activity (UTC)", "Completed (UTC)", "Certificate code", "At risk",
	"Reminders turned off"}

// rosterCSV streams the filtered roster as CSV, row by row as the database
// returns them, so the export of a large class runs in flat memory.
func (h *handler) rosterCSV(c *fiber.Ctx) error {
	course := managedCourse(c)
	params, err := parseRosterParams(c)
	if err != nil {
		return err
	}
	// Check everything the export depends on now: once streaming starts the
	// status is sent and an error can no longer become a 4xx.
	f := params.Filter
	f.After, f.Before = "", ""
	if err := h.store.CheckRosterFilter(c.UserContext(), course, &f); err != nil {
		return err
	}
	checks, err := h.store.RosterChecks(c.UserContext(), course.ID)
	if err != nil {
		return err
	}
	bom := c.Query("bom") != "0"
	setCSVHeaders(c, fmt.Sprintf("roster-%s-%s.csv", course.Slug, h.store.Now().Format(time.DateOnly)))
	store, log := h.store, h.log
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) {
		if err := writeRosterCSV(context.Background(), w, store, course, f, checks, bom); err != nil {
			log.Warn("roster export stopped", "course", course.Slug, "error", err)
		}
	})
	return nil
}

// setCSVHeaders sets the headers of a CSV download. Names are built from
// slugs, numbers and dates only, so they need no escaping.
func setCSVHeaders(c *fiber.Ctx, filename string) {
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+filename+`"`)
}

// writeRosterCSV writes the header and every row, flushing to the network
// every csvFlushEvery rows. A database error mid-way ends the file with a
// line saying it is incomplete, since the status has already been sent.
func writeRosterCSV(ctx context.Context, w *bufio.Writer, store *models.Store, course *models.Course, f models.RosterFilter,
	checks []models.RosterCheck, bom bool) error {
	if bom {
		if _, err := w.WriteString(utf8BOM); err != nil {
			return err
		}
	}
	cw := newCSVWriter(w)
	header := append(slices.Clip(rosterCSVHeader), checkCSVHeader(checks)...)
	if err := cw.Write(header); err != nil {
		return err
	}
	record := make([]string, len(header))
	n := 0
	err := store.StreamRoster(ctx, course, f, checks, func(r *models.RosterRow) error {
		rosterRecord(r, record)
		checkRecord(r.Checks, record[len(rosterCSVHeader):])
		if err := cw.Write(record); err != nil {
			return err
		}
		if n++; n%csvFlushEvery == 0 {
			return w.Flush()
		}
		return nil
	})
	if err != nil {
		// Fails too when the client has gone, which is fine.
		_ = cw.Write([]string{"ERROR: the export stopped early; download it again."})
	}
	if ferr := w.Flush(); err == nil {
		err = ferr
	}
	return err
}

// rosterRecord fills record with a row's cells.
func rosterRecord(r *models.RosterRow, record []string) []string {
	cells := []string{r.FullName, r.Email, r.CohortName, r.Status, strconv.Itoa(r.Percent),
		strconv.Itoa(r.ReadingsDone), strconv.Itoa(r.ReadingsRequired), strconv.Itoa(r.ReadingsDue), csvDate(r.LastActivityAt),
		csvDate(r.CompletedAt), r.Certificate(), yesNo(r.AtRisk), yesNo(r.RemindersOptOut)}
	copy(record, cells)
	return record
}

// checkCSVHeader names a group of columns per checked reading, after the
// reading's slug: best score, passed, attempts.
func checkCSVHeader(checks []models.RosterCheck) []string {
	var header []string
	for _, c := range checks {
		header = append(header, c.ReadingSlug+" check score", c.ReadingSlug+" check passed", c.ReadingSlug+" check attempts")
	}
	return header
}

// checkRecord fills cells, the check columns at the end of a record, with a
// row's scores. A check not taken has no score.
func checkRecord(scores []models.CheckScore, cells []string) {
	for i, sc := range scores {
		score := ""
		if sc.Taken() {
			score = strconv.Itoa(sc.BestPercent)
		}
		cells[3*i], cells[3*i+1], cells[3*i+2] = score, yesNo(sc.Passed), strconv.Itoa(sc.Attempts)
	}
}

// csvSafe defuses formula injection: a spreadsheet runs a cell that starts
// with =, +, -, @, a tab or a carriage return as a formula, so such cells
// get a leading single quote, which spreadsheets show as text.
func csvSafe(cell string) string {
	if cell == "" {
		return cell
	}
	switch cell[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + cell
	}
	return cell
}

func csvDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(csvTime)
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// writeCSV writes a small, bounded table in one go.
func writeCSV(w io.Writer, bom bool, rows [][]string) error {
	if bom {
		if _, err := io.WriteString(w, utf8BOM); err != nil {
			return err
		}
	}
	bw := bufio.NewWriter(w)
	cw := newCSVWriter(bw)
	for _, row := range rows {
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	return bw.Flush()
}
