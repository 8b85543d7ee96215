package models_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

const day = 24 * time.Hour

// class is the shared five-student class fixture, with the roster helper.
type class struct{ *testdb.Class }

func newClass(t testing.TB, pacing string) *class {
	t.Helper()
	store, clock := testdb.Open(t)
	return &class{testdb.NewClass(t, store, clock, pacing)}
}

// seedClass builds testdb's standard class of five (ada, ben, cyd, dee, eve)
// and moves to day 15.
func seedClass(t testing.TB, pacing string) *class {
	t.Helper()
	c := newClass(t, pacing)
	c.SeedFive(t)
	return c
}

func (c *class) roster(t testing.TB, f models.RosterFilter) []models.RosterRow {
	t.Helper()
	page, _, err := c.Store.Roster(context.Background(), c.Course, f)
	if err != nil {
		t.Fatalf("roster %+v: %v", f, err)
	}
	return page.Rows
}

func names(rows []models.RosterRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.FullName)
	}
	return out
}

func TestRosterNumbersMatchTheLearnersOwnView(t *testing.T) {
	c := seedClass(t, models.PacingScheduled)
	rows := c.roster(t, models.RosterFilter{Status: models.RosterStatusAll})
	if got := names(rows); !slices.Equal(got, []string{"ada", "ben", "cyd", "dee", "eve"}) {
		t.Fatalf("roster = %v", got)
	}
	want := map[string]struct {
		status        string
		percent, done int
	}{
		"ada": {models.StatusActive, 66, 2}, "ben": {models.StatusActive, 16, 0}, "cyd": {models.StatusActive, 0, 0},
		"dee": {models.StatusCompleted, 100, 3}, "eve": {models.StatusWithdrawn, 0, 0},
	}
	for _, r := range rows {
		w := want[r.FullName]
		if r.Status != w.status || r.Percent != w.percent || r.ReadingsDone != w.done || r.ReadingsDue != 3 {
			t.Errorf("%s: status %s percent %d done %d due %d, want %+v", r.FullName, r.Status, r.Percent, r.ReadingsDone, r.ReadingsDue, w)
		}
		if r.Status == models.StatusWithdrawn {
			continue
		}
		view, err := c.Store.LearnerCourse(context.Background(), r.UserID, c.Course.Slug)
		if err != nil {
			t.Fatal(err)
		}
		if view.Percent != r.Percent || view.CompletedCount != r.ReadingsDone {
			t.Errorf("%s: roster says %d%% / %d done, the learner sees %d%% / %d", r.FullName, r.Percent, r.ReadingsDone, view.Percent, view.CompletedCount)
		}
	}
	dee := rows[3]
	if dee.Certificate() == "" || dee.CompletedAt == nil || !dee.CompletedAt.Equal(c.Clock.Now()) {
		t.Errorf("dee: certificate %q completed %v", dee.Certificate(), dee.CompletedAt)
	}
	if ben := rows[1]; ben.LastActivityAt == nil || !ben.LastActivityAt.Equal(testdb.Start.Add(time.Hour)) {
		t.Errorf("ben's last activity = %v", ben.LastActivityAt)
	}
	if cyd := rows[2]; cyd.LastActivityAt != nil || !cyd.NotStarted() {
		t.Errorf("cyd: last activity %v, not started %v", cyd.LastActivityAt, cyd.NotStarted())
	}
}

func TestRosterFilters(t *testing.T) {
	c := seedClass(t, models.PacingScheduled)
	cases := []struct {
		f    models.RosterFilter
		want []string
	}{
		{models.RosterFilter{}, []string{"ada", "ben", "cyd", "dee"}},
		{models.RosterFilter{Status: models.StatusWithdrawn}, []string{"eve"}},
		{models.RosterFilter{Status: models.StatusCompleted}, []string{"dee"}},
		{models.RosterFilter{Segment: models.RosterSegmentCompleted}, []string{"dee"}},
		{models.RosterFilter{Segment: models.RosterSegmentNotStart}, []string{"cyd"}},
		{models.RosterFilter{Segment: models.RosterSegmentProgress}, []string{"ada", "ben"}},
		{models.RosterFilter{Segment: models.RosterSegmentAtRisk}, []string{"ben", "cyd"}},
		{models.RosterFilter{Segment: models.RosterSegmentAtRisk, InactiveDays: 20}, nil},
		{models.RosterFilter{CohortID: c.Cohort.ID, Status: models.StatusActive}, []string{"ada", "ben", "cyd"}},
	}
	for _, tc := range cases {
		if got := names(c.roster(t, tc.f)); !slices.Equal(got, tc.want) {
			t.Errorf("filter %+v = %v, want %v", tc.f, got, tc.want)
		}
	}
	// Two weeks later ada, behind on reading 3, has been quiet too long.
	c.Clock.Advance(15 * day)
	if got := names(c.roster(t, models.RosterFilter{Segment: models.RosterSegmentAtRisk})); !slices.Equal(got, []string{"ada", "ben", "cyd"}) {
		t.Errorf("at risk on day 30 = %v", got)
	}
	rows := c.roster(t, models.RosterFilter{})
	if !rows[0].AtRisk || rows[3].AtRisk {
		t.Errorf("at-risk flags: ada %v, dee %v", rows[0].AtRisk, rows[3].AtRisk)
	}
}

func TestRosterAtRiskFollowsTheSchedule(t *testing.T) {
	c := newClass(t, models.PacingScheduled)
	c.Enroll(t, "early")
	c.Clock.Advance(8 * day) // day 8: weeks 1 and 2 are open
	c.Complete(t, "early", 1, 2)
	c.Clock.Advance(9 * day) // day 17: week 3 open, early quiet for nine days
	rows := c.roster(t, models.RosterFilter{})
	if rows[0].ReadingsDue != 3 || !rows[0].AtRisk {
		t.Fatalf("day 17: due %d, at risk %v; want 3 due, at risk", rows[0].ReadingsDue, rows[0].AtRisk)
	}
	c.Complete(t, "early", 3)
	if rows := c.roster(t, models.RosterFilter{Segment: models.RosterSegmentAtRisk}); len(rows) != 0 {
		t.Fatalf("a completed student is at risk: %v", names(rows))
	}

	// Self-paced: inactive and not completed is enough.
	s := newClass(t, models.PacingSelfPaced)
	s.Enroll(t, "quiet")
	s.Enroll(t, "done")
	s.Complete(t, "done", 1, 2, 3)
	s.Clock.Advance(8 * day)
	if got := names(s.roster(t, models.RosterFilter{Segment: models.RosterSegmentAtRisk})); !slices.Equal(got, []string{"quiet"}) {
		t.Fatalf("self-paced at risk = %v", got)
	}
}

func TestRosterSortAndSummary(t *testing.T) {
	c := seedClass(t, models.PacingScheduled)
	cases := []struct {
		sort string
		desc bool
		want []string
	}{
		{"name", true, []string{"dee", "cyd", "ben", "ada"}},
		{"percent", false, []string{"cyd", "ben", "ada", "dee"}},
		{"percent", true, []string{"dee", "ada", "ben", "cyd"}},
		{"status", false, []string{"ada", "ben", "cyd", "dee"}},
		{"last_activity", false, []string{"cyd", "ben", "ada", "dee"}},
		{"completed_at", true, []string{"dee", "cyd", "ben", "ada"}}, // no date: ties, newest enrollment first
	}
	for _, tc := range cases {
		if got := names(c.roster(t, models.RosterFilter{Sort: tc.sort, Desc: tc.desc})); !slices.Equal(got, tc.want) {
			t.Errorf("sort %s desc=%v = %v, want %v", tc.sort, tc.desc, got, tc.want)
		}
	}
	_, sum, err := c.Store.Roster(context.Background(), c.Course, models.RosterFilter{})
	if err != nil {
		t.Fatal(err)
	}
	want := models.CohortSummary{CohortID: c.Cohort.ID, CohortName: c.Cohort.Name, Pacing: models.PacingScheduled,
		Total: 4, Active: 3, Completed: 1, Withdrawn: 1, NotStarted: 1, AtRisk: 2}
	if len(sum.Cohorts) != 1 || sum.Cohorts[0] != want {
		t.Fatalf("summary = %+v\nwant %+v", sum.Cohorts, want)
	}
}

func TestRosterRejectsBadFilters(t *testing.T) {
	c := newClass(t, models.PacingSelfPaced)
	_, otherCohort := testdb.Course(t, c.Store, 1, models.Cohort{})
	for _, f := range []models.RosterFilter{
		{Sort: "password_hash"}, {Sort: "name; DROP TABLE users"}, {Status: "deleted"}, {Segment: "sleeping"},
		{InactiveDays: -1}, {InactiveDays: 9999}, {Limit: 1000}, {After: "not-a-cursor"},
		{After: "eyJzIjoiZW1haWwiLCJrIjoiYSIsImkiOjF9"}, // a cursor made for another sort
		{CohortID: otherCohort.ID}, {After: "x", Before: "y"},
	} {
		_, _, err := c.Store.Roster(context.Background(), c.Course, f)
		if _, ok := models.AsValidation(err); !ok {
			t.Errorf("filter %+v: err = %v, want a validation error", f, err)
		}
	}
}

// TestRosterKeysetVisitsEveryStudentOnce walks every sort both ways, page by
// page forwards and then backwards, with many ties in the sort keys.
func TestRosterKeysetVisitsEveryStudentOnce(t *testing.T) {
	c := newClass(t, models.PacingSelfPaced)
	for i := range 23 {
		// Duplicate names and three progress levels make ties.
		name := fmt.Sprintf("student %02d", i%9)
		c.Enroll(t, name)
		switch i % 3 {
		case 1:
			c.Read(t, name, 1, 40)
		case 2:
			c.Complete(t, name, 1)
		}
		c.Clock.Advance(time.Duration(i%4) * time.Hour)
	}
	for _, sort := range models.RosterSorts {
		for _, desc := range []bool{false, true} {
			all := c.roster(t, models.RosterFilter{Sort: sort, Desc: desc, Limit: 100})
			var pages [][]models.RosterRow
			f := models.RosterFilter{Sort: sort, Desc: desc, Limit: 5}
			for {
				page, _, err := c.Store.Roster(context.Background(), c.Course, f)
				if err != nil {
					t.Fatal(err)
				}
				pages = append(pages, page.Rows)
				if page.Next == "" {
					break
				}
				f.After, f.Before = page.Next, ""
				if len(pages) > 10 {
					t.Fatalf("%s: paging does not end", sort)
				}
			}
			var walked []int64
			for _, p := range pages {
				for _, r := range p {
					walked = append(walked, r.EnrollmentID)
				}
			}
			if want := ids(all); !slices.Equal(walked, want) {
				t.Fatalf("sort %s desc=%v: pages give %v, one query gives %v", sort, desc, walked, want)
			}
			// Back from the last page with Prev.
			f = models.RosterFilter{Sort: sort, Desc: desc, Limit: 5}
			last := pages[len(pages)-1]
			page, _, _ := c.Store.Roster(context.Background(), c.Course, models.RosterFilter{Sort: sort, Desc: desc, Limit: 5, After: cursorBefore(t, c, f, len(pages)-1)})
			if !slices.Equal(ids(page.Rows), ids(last)) {
				t.Fatalf("sort %s: reaching the last page again gives %v, want %v", sort, ids(page.Rows), ids(last))
			}
			for i := len(pages) - 2; i >= 0; i-- {
				if page.Prev == "" {
					t.Fatalf("sort %s: page %d has no previous link", sort, i+1)
				}
				page, _, _ = c.Store.Roster(context.Background(), c.Course, models.RosterFilter{Sort: sort, Desc: desc, Limit: 5, Before: page.Prev})
				if !slices.Equal(ids(page.Rows), ids(pages[i])) {
					t.Fatalf("sort %s desc=%v: back to page %d gives %v, want %v", sort, desc, i, ids(page.Rows), ids(pages[i]))
				}
			}
			if page.Prev != "" || page.Next == "" {
				t.Fatalf("sort %s: the first page reached backwards has prev %q next %q", sort, page.Prev, page.Next)
			}
		}
	}
}

// cursorBefore returns the After cursor that leads to page n.
func cursorBefore(t *testing.T, c *class, f models.RosterFilter, n int) string {
	t.Helper()
	for range n {
		page, _, err := c.Store.Roster(context.Background(), c.Course, f)
		if err != nil {
			t.Fatal(err)
		}
		f.After = page.Next
	}
	return f.After
}

func ids(rows []models.RosterRow) []int64 {
	out := []int64{}
	for _, r := range rows {
		out = append(out, r.EnrollmentID)
	}
	return out
}

// queryCounter counts the statements a store runs.
type queryCounter struct {
	logger.Interface
	n int
}

func (q *queryCounter) Trace(context.Context, time.Time, func() (string, int64), error) { q.n++ }

func TestRosterRunsAFixedNumberOfQueries(t *testing.T) {
	c := seedClass(t, models.PacingScheduled)
	counter := &queryCounter{Interface: logger.Discard}
	counted := models.NewStore(c.Store.DB().Session(&gorm.Session{Logger: counter}), c.Store.Dialect(), c.Clock)
	run := func() int {
		counter.n = 0
		if _, _, err := counted.Roster(context.Background(), c.Course, models.RosterFilter{Segment: models.RosterSegmentAtRisk}); err != nil {
			t.Fatal(err)
		}
		return counter.n
	}
	small := run()
	for i := range 30 {
		name := fmt.Sprintf("more %d", i)
		c.Enroll(t, name)
		c.Read(t, name, 1, 10)
	}
	if big := run(); big != small || small > 4 {
		t.Fatalf("roster ran %d queries for 5 students and %d for 35; want the same, at most 4", small, big)
	}
}

func TestStreamRosterStopsOnError(t *testing.T) {
	c := seedClass(t, models.PacingScheduled)
	stop := errors.New("client went away")
	seen := 0
	err := c.Store.StreamRoster(context.Background(), c.Course, models.RosterFilter{}, nil, func(*models.RosterRow) error {
		seen++
		return stop
	})
	if !errors.Is(err, stop) || seen != 1 {
		t.Fatalf("err = %v after %d rows", err, seen)
	}
}
