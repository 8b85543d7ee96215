package routes

import (
	"slices"
	"strconv"
	"time"

	"courseportal/models"
)

// rosterView is the roster page's data.
type rosterView struct {
	Course   *models.Course
	Tab      string
	Params   rosterParams
	Summary  *models.RosterSummary
	Selected *models.CohortSummary // the filtered cohort, if any
	Rows     []rosterRowView
	Columns  []rosterColumn
	Required int
	Cohorts  []rosterOption
	Statuses []rosterOption
	Segments []rosterOption
	Limits   []rosterOption
	Base     string
	Export   string
	First    string
	Prev     string
	Next     string
	// Filtered is set when the rows are a subset of the class; Custom when
	// anything differs from the defaults (a Reset link is worth showing).
	Filtered bool
	Custom   bool
	CSRF     string
}

// rosterRowView is one student as the table shows them: what the template
// reads, each a field of its own (text/template finds a field of an
// embedded struct, or a method, by a slow reflective search on every use,
// fifty rows a page).
type rosterRowView struct {
	FullName                     string
	Email                        string
	RemindersOptOut              bool
	EmailVerified                bool
	CohortName                   string
	Status                       string
	AtRisk                       bool
	NotStarted                   bool
	Percent                      int
	ReadingsDone                 int
	ReadingsRequired             int
	ReadingsDue                  int
	ReadingsAddedSinceCompletion int
	Certificate                  string
	CertificateRevokedAt         *time.Time
	LastActivity                 string
	LastActivityAgo              string
	Completed                    string
	ProgressCSV                  string
	CheckScores                  []rosterCheckScore
}

// rosterCheckScore is a student's result on one check, with the check's
// short name.
type rosterCheckScore struct {
	Taken       bool
	Attempts    int
	BestPercent int
	Passed      bool
	Label       string
	Title       string
}

// rosterColumn is a table heading; sortable ones link to their sort.
type rosterColumn struct {
	Label    string
	URL      string
	AriaSort string
	Arrow    string
}

type rosterOption struct {
	Value    string
	Label    string
	Selected bool
}

var (
	rosterStatusLabels = map[string]string{
		models.RosterStatusLive: "Everyone but withdrawn", models.StatusActive: "Enrolled",
		models.StatusWaitlisted: "Waitlisted", models.StatusCompleted: "Completed",
		models.StatusWithdrawn: "Withdrawn", models.RosterStatusAll: "Everyone",
	}
	rosterSegmentLabels = map[string]string{
		models.RosterSegmentAll: "All progress", models.RosterSegmentNotStart: "Not started",
		models.RosterSegmentProgress: "In progress", models.RosterSegmentAtRisk: "At risk",
		models.RosterSegmentCompleted: "Completed the course",
	}
)

func newRosterView(course *models.Course, p rosterParams, pg *models.RosterPage, sum *models.RosterSummary, now time.Time) *rosterView {
	base := "/admin/courses/" + course.Slug + "/roster"
	f := p.Filter
	v := &rosterView{Course: course, Tab: "roster", Params: p, Summary: sum, Required: pg.RequiredReadings, Base: base,
		Export:   p.Link(base + ".csv"),
		First:    p.Link(base),
		Filtered: f.CohortID != 0 || f.Status != models.RosterStatusLive || f.Segment != models.RosterSegmentAll,
		Custom:   p.Link(base) != base}
	if pg.Prev != "" {
		v.Prev = p.Link(base, "before", pg.Prev)
	}
	if pg.Next != "" {
		v.Next = p.Link(base, "after", pg.Next)
	}
	v.Cohorts = append(v.Cohorts, rosterOption{Value: "", Label: "All cohorts", Selected: f.CohortID == 0})
	for i := range sum.Cohorts {
		cs := &sum.Cohorts[i]
		v.Cohorts = append(v.Cohorts, rosterOption{Value: strconv.FormatInt(cs.CohortID, 10), Label: cs.CohortName, Selected: f.CohortID == cs.CohortID})
		if f.CohortID == cs.CohortID {
			v.Selected = cs
		}
	}
	for _, s := range models.RosterStatuses {
		v.Statuses = append(v.Statuses, rosterOption{Value: s, Label: rosterStatusLabels[s], Selected: f.Status == s})
	}
	for _, s := range models.RosterSegments {
		v.Segments = append(v.Segments, rosterOption{Value: s, Label: rosterSegmentLabels[s], Selected: f.Segment == s})
	}
	sizes := []int{25, 50, 100, 200}
	if !slices.Contains(sizes, f.Limit) {
		sizes = append([]int{f.Limit}, sizes...)
	}
	for _, n := range sizes {
		v.Limits = append(v.Limits, rosterOption{Value: strconv.Itoa(n), Label: strconv.Itoa(n) + " a page", Selected: f.Limit == n})
	}
	v.Columns = rosterColumns(p, base)
	labels := checkLabels(pg.Checks)
	for _, r := range pg.Rows {
		row := rosterRowView{FullName: r.FullName, Email: r.Email, RemindersOptOut: r.RemindersOptOut,
			EmailVerified: r.EmailVerified, CohortName: r.CohortName, Status: r.Status, AtRisk: r.AtRisk,
			NotStarted: r.NotStarted(), Percent: r.Percent, ReadingsDone: r.ReadingsDone,
			ReadingsRequired: r.ReadingsRequired, ReadingsDue: r.ReadingsDue,
			ReadingsAddedSinceCompletion: r.ReadingsAddedSinceCompletion(), Certificate: r.Certificate(),
			CertificateRevokedAt: r.CertificateRevokedAt, LastActivity: rosterDate(r.LastActivityAt),
			LastActivityAgo: rosterAgo(r.LastActivityAt, now), Completed: rosterDate(r.CompletedAt),
			ProgressCSV: "/admin/courses/" + course.Slug + "/students/" + strconv.FormatInt(r.UserID, 10) + "/progress.csv"}
		for i, sc := range r.Checks {
			row.CheckScores = append(row.CheckScores, rosterCheckScore{Taken: sc.Taken(), Attempts: sc.Attempts,
				BestPercent: sc.BestPercent, Passed: sc.Passed, Label: labels[i], Title: pg.Checks[i].ReadingTitle})
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// checkLabels name the checks by week, short enough for the progress cell
// on a phone; a week with several checked readings adds the reading's title.
func checkLabels(checks []models.RosterCheck) []string {
	perWeek := map[int]int{}
	for _, c := range checks {
		perWeek[c.Week]++
	}
	labels := make([]string, len(checks))
	for i, c := range checks {
		labels[i] = "Week " + strconv.Itoa(c.Week) + " check"
		if perWeek[c.Week] > 1 {
			labels[i] = "Week " + strconv.Itoa(c.Week) + ", " + c.ReadingTitle
		}
	}
	return labels
}

// rosterColumns are the table's headings. A click on the sorted column
// reverses it; another column starts with its most useful direction. The
// student column sorts by name or by email.
func rosterColumns(p rosterParams, base string) []rosterColumn {
	heads := []struct {
		label, sort string
		desc        bool
	}{
		{"Student", "name", false}, {"Email", "email", false}, {"Status", "status", false},
		{"Progress", "percent", true}, {"Last activity", "last_activity", true}, {"Completed", "completed_at", true},
	}
	var cols []rosterColumn
	for _, hd := range heads {
		col := rosterColumn{Label: hd.label}
		desc := hd.desc
		if p.Filter.Sort == hd.sort {
			desc = !p.Filter.Desc
			col.AriaSort, col.Arrow = "ascending", "▲"
			if p.Filter.Desc {
				col.AriaSort, col.Arrow = "descending", "▼"
			}
		}
		dir := "asc"
		if desc {
			dir = "desc"
		}
		col.URL = p.Link(base, "sort", hd.sort, "dir", dir)
		cols = append(cols, col)
	}
	return cols
}

func rosterDate(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2 Jan 2006")
}

// rosterAgo says how long before now t was, in days or weeks.
func rosterAgo(t *time.Time, now time.Time) string {
	if t == nil {
		return ""
	}
	days := int(now.Sub(*t).Hours() / 24)
	switch {
	case days <= 0:
		return "today"
	case days == 1:
		return "yesterday"
	case days < 14:
		return strconv.Itoa(days) + " days ago"
	}
	return strconv.Itoa(days/7) + " weeks ago"
}
