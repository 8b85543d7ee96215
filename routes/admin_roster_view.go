package routes

import (
	"slices"
	"strconv"
	"time"

	"courseportal/models"
	"courseportal/views/i18n"
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

// newRosterView words the roster page in the console's language: the
// filters' options are the catalogue's console.roster.status.<status> and
// console.roster.segment.<segment>.
func newRosterView(loc *i18n.Localizer, course *models.Course, p rosterParams, pg *models.RosterPage, sum *models.RosterSummary,
	now time.Time) *rosterView {
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
	v.Cohorts = append(v.Cohorts, rosterOption{Value: "", Label: loc.T("console.roster.all_cohorts"), Selected: f.CohortID == 0})
	for i := range sum.Cohorts {
		cs := &sum.Cohorts[i]
		v.Cohorts = append(v.Cohorts, rosterOption{Value: strconv.FormatInt(cs.CohortID, 10), Label: cs.CohortName, Selected: f.CohortID == cs.CohortID})
		if f.CohortID == cs.CohortID {
			v.Selected = cs
		}
	}
	for _, s := range models.RosterStatuses {
		v.Statuses = append(v.Statuses, rosterOption{Value: s, Label: loc.T("console.roster.status." + s), Selected: f.Status == s})
	}
	for _, s := range models.RosterSegments {
		v.Segments = append(v.Segments, rosterOption{Value: s, Label: loc.T("console.roster.segment." + s), Selected: f.Segment == s})
	}
	sizes := []int{25, 50, 100, 200}
	if !slices.Contains(sizes, f.Limit) {
		sizes = append([]int{f.Limit}, sizes...)
	}
	for _, n := range sizes {
		v.Limits = append(v.Limits, rosterOption{Value: strconv.Itoa(n), Label: loc.T("console.roster.per_page", "Count", n), Selected: f.Limit == n})
	}
	v.Columns = rosterColumns(loc, p, base)
	labels := checkLabels(loc, pg.Checks)
	for _, r := range pg.Rows {
		row := rosterRowView{FullName: r.FullName, Email: r.Email, RemindersOptOut: r.RemindersOptOut,
			EmailVerified: r.EmailVerified, CohortName: r.CohortName, Status: r.Status, AtRisk: r.AtRisk,
			NotStarted: r.NotStarted(), Percent: r.Percent, ReadingsDone: r.ReadingsDone,
			ReadingsRequired: r.ReadingsRequired, ReadingsDue: r.ReadingsDue,
			ReadingsAddedSinceCompletion: r.ReadingsAddedSinceCompletion(), Certificate: r.Certificate(),
			CertificateRevokedAt: r.CertificateRevokedAt, LastActivity: rosterDate(loc, r.LastActivityAt),
			LastActivityAgo: rosterAgo(loc, r.LastActivityAt, now), Completed: rosterDate(loc, r.CompletedAt),
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
func checkLabels(loc *i18n.Localizer, checks []models.RosterCheck) []string {
	perWeek := map[int]int{}
	for _, c := range checks {
		perWeek[c.Week]++
	}
	labels := make([]string, len(checks))
	for i, c := range checks {
		labels[i] = loc.T("console.roster.week_check", "Week", c.Week)
		if perWeek[c.Week] > 1 {
			labels[i] = loc.T("console.roster.week_reading", "Week", c.Week, "Title", c.ReadingTitle)
		}
	}
	return labels
}

// rosterColumns are the table's headings. A click on the sorted column
// reverses it; another column starts with its most useful direction. The
// student column sorts by name or by email.
func rosterColumns(loc *i18n.Localizer, p rosterParams, base string) []rosterColumn {
	heads := []struct {
		label, sort string
		desc        bool
	}{
		{"student", "name", false}, {"email", "email", false}, {"status", "status", false},
		{"progress", "percent", true}, {"last_activity", "last_activity", true}, {"completed", "completed_at", true},
	}
	var cols []rosterColumn
	for _, hd := range heads {
		col := rosterColumn{Label: loc.T("console.roster.col_" + hd.label)}
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

func rosterDate(loc *i18n.Localizer, t *time.Time) string {
	if t == nil {
		return ""
	}
	return loc.ShortDate(*t)
}

// rosterAgo says how long before now t was, in days or weeks.
func rosterAgo(loc *i18n.Localizer, t *time.Time, now time.Time) string {
	if t == nil {
		return ""
	}
	days := int(now.Sub(*t).Hours() / 24)
	switch {
	case days <= 0:
		return loc.T("console.roster.today")
	case days == 1:
		return loc.T("console.roster.yesterday")
	case days < 14:
		return loc.N("console.roster.days_ago", days)
	}
	return loc.N("console.roster.weeks_ago", days/7)
}
