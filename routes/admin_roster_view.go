package routes

import (
	"html/template"
	"slices"
	"strconv"
	"time"

	"courseportal/models"
	"courseportal/views"
	"courseportal/views/i18n"
)

// rosterView is the roster page's data.
type rosterView struct {
	Course   *models.Course
	Tab      string
	Params   rosterParams
	Summary  *models.RosterSummary
	Selected *models.CohortSummary // the filtered cohort, if any
	// HasRows is set when the page has students, whose rows
	// writeRosterRows wrote into the buffer newRosterView was given.
	HasRows  bool
	Required int
	// Head is the table's heading cells (headHTML); Cohorts, Statuses,
	// Segments and Limits are the filters' options (optionsHTML).
	Head                                template.HTML
	Cohorts, Statuses, Segments, Limits template.HTML
	Base                                string
	Export                              string
	First                               string
	Prev                                string
	Next                                string
	// Filtered is set when the rows are a subset of the class; Custom when
	// anything differs from the defaults (a Reset link is worth showing).
	Filtered bool
	Custom   bool
	CSRF     string
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
	now time.Time, rows *views.Markup) *rosterView {
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
	cohorts := []rosterOption{{Value: "", Label: loc.T("console.roster.all_cohorts"), Selected: f.CohortID == 0}}
	for i := range sum.Cohorts {
		cs := &sum.Cohorts[i]
		cohorts = append(cohorts, rosterOption{Value: strconv.FormatInt(cs.CohortID, 10), Label: cs.CohortName, Selected: f.CohortID == cs.CohortID})
		if f.CohortID == cs.CohortID {
			v.Selected = cs
		}
	}
	v.Cohorts = optionsHTML(cohorts)
	var statuses, segments, limits []rosterOption
	for _, s := range models.RosterStatuses {
		statuses = append(statuses, rosterOption{Value: s, Label: loc.T("console.roster.status." + s), Selected: f.Status == s})
	}
	v.Statuses = optionsHTML(statuses)
	for _, s := range models.RosterSegments {
		segments = append(segments, rosterOption{Value: s, Label: loc.T("console.roster.segment." + s), Selected: f.Segment == s})
	}
	v.Segments = optionsHTML(segments)
	sizes := []int{25, 50, 100, 200}
	if !slices.Contains(sizes, f.Limit) {
		sizes = append([]int{f.Limit}, sizes...)
	}
	for _, n := range sizes {
		limits = append(limits, rosterOption{Value: strconv.Itoa(n), Label: loc.T("console.roster.per_page", "Count", n), Selected: f.Limit == n})
	}
	v.Limits = optionsHTML(limits)
	v.Head = headHTML(rosterColumns(loc, p, base))
	v.HasRows = len(pg.Rows) > 0
	writeRosterRows(rows, loc, course, pg, now)
	return v
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

// CourseHeading is what the course header shows.
func (v *rosterView) CourseHeading() (views.CourseHeading, bool) {
	return courseHeading(v.Course, v.Tab)
}
