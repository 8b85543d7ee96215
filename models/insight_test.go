package models_test

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// insightClass is the class of testdb's SeedInsight.
type insightClass struct {
	*testdb.Class
	reading *models.Reading
}

func newInsightClass(t *testing.T) *insightClass {
	t.Helper()
	store, clock := testdb.Open(t)
	c := &insightClass{Class: testdb.NewClass(t, store, clock, models.PacingSelfPaced)}
	c.reading = c.SeedInsight(t)
	return c
}

func (c *insightClass) insight(t *testing.T) *models.ReadingInsight {
	t.Helper()
	in, err := c.Store.ReadingInsight(context.Background(), c.Course, c.reading, c.Cohort.ID)
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func TestReadingInsightMatchesTheClassComputedByHand(t *testing.T) {
	c := newInsightClass(t)
	in := c.insight(t)
	if in.Students != 5 || in.Opened != 5 || in.NeverScrolled != 1 || in.Completed != 1 {
		t.Errorf("students %d, opened %d, never scrolled %d, completed %d; want 5, 5, 1, 1",
			in.Students, in.Opened, in.NeverScrolled, in.Completed)
	}
	var reach []string
	for _, p := range in.Paragraphs {
		reach = append(reach, fmt.Sprintf("p-%d %d/%d", p.Number, p.Reached, p.Stopped))
	}
	if got, want := strings.Join(reach, ", "), "p-1 4/0, p-2 4/1, p-3 3/0, p-4 3/1, p-5 2/0, p-6 2/2"; got != want {
		t.Errorf("reached/stopped = %s\nwant %s", got, want)
	}
	if in.Paragraphs[2].Opening != "Three word word word word word word word word word …" {
		t.Errorf("opening of p-3 = %q", in.Paragraphs[2].Opening)
	}
	// Reading times are known to the minute and taken at the minute's
	// middle: ada 120 s (minute 2) → 150, ben 60 s (minute 1) → 90,
	// cyd 30 s (minute 0) → 30, dee 240 s (minute 4) → 270.
	// Each reader's time shared by words over what they reached (the
	// sections hold 20, 30 and 20 of the 70 words; ben reached 50, cyd 20),
	// and the lower median of each section:
	// opening ada 150·20/70 = 42.9, ben 90·20/50 = 36, cyd 30·20/20 = 30,
	// dee 270·20/70 = 77.1 → 30, 36, 42.9, 77.1 → 36;
	// middle ada 150·30/70 = 64.3, ben 90·30/50 = 54, dee 270·30/70 = 115.7 → 64;
	// proposal ada 150·20/70 = 42.9, dee 270·20/70 = 77.1 → 43.
	var sections []string
	for _, s := range in.Sections {
		sections = append(sections, fmt.Sprintf("%s%s p%d-%d reached %d median %ds", s.Title, s.Untitled, s.First, s.Last, s.Reached, s.MedianSeconds))
	}
	want := "opening p1-2 reached 4 median 36s | Middle p3-4 reached 3 median 64s | The power-sharing proposal p5-6 reached 2 median 43s"
	if got := strings.Join(sections, " | "); got != want {
		t.Errorf("sections = %s\nwant %s", got, want)
	}
	var days []string
	for _, d := range in.Completions {
		days = append(days, fmt.Sprintf("%d:%d/%d", d.Day, d.Completed, d.Total))
	}
	if got := strings.Join(days, " "); got != "0:0/0 1:0/0 2:1/1 3:0/1 4:0/1 5:0/1 6:0/1 7:0/1 8:0/1 9:0/1" {
		t.Errorf("completions by day = %s", got)
	}
	if in.Check != nil {
		t.Error("a reading without a check has an item analysis")
	}
}

func TestCohortInsightMatchesTheClassComputedByHand(t *testing.T) {
	c := newInsightClass(t)
	in, err := c.Store.CohortInsight(context.Background(), c.Course, c.Cohort.ID)
	if err != nil {
		t.Fatal(err)
	}
	var steps []string
	for _, s := range in.Funnel {
		if s.Reading == "" {
			steps = append(steps, fmt.Sprintf("%s=%d", s.Step, s.Students))
			continue
		}
		steps = append(steps, fmt.Sprintf("%d %s %s (%s)=%d", s.Week, s.Step, s.Title, s.Reading, s.Students))
	}
	want := "joined=5 | 1 opened Reading 1 (reading-1)=5 | 1 completed Reading 1 (reading-1)=1 | 2 opened Reading 2 (reading-2)=0 | " +
		"2 completed Reading 2 (reading-2)=0 | 3 opened Reading 3 (reading-3)=0 | 3 completed Reading 3 (reading-3)=0 | certificate=0"
	if got := strings.Join(steps, " | "); got != want {
		t.Errorf("funnel = %s\nwant %s", got, want)
	}
	var weeks []string
	for _, w := range in.Weeks {
		weeks = append(weeks, fmt.Sprintf("%s:%d", w.Monday.Format(time.DateOnly), w.Students))
	}
	if got := strings.Join(weeks, " "); got != "2026-03-02:5 2026-03-09:1" {
		t.Errorf("weekly active = %s, want 2026-03-02:5 2026-03-09:1", got)
	}
}

func TestNudgeListNamesTheQuietAndWhoWasReminded(t *testing.T) {
	c := newInsightClass(t)
	ctx := context.Background()
	list, err := c.Store.NudgeList(ctx, c.Course, c.Cohort, 5)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range list.Students {
		names = append(names, r.FullName)
	}
	slices.Sort(names)
	if strings.Join(names, ",") != "ada,cyd,dee,eve" || list.More {
		t.Fatalf("nudge list = %v (more: %v), want ada, cyd, dee, eve", names, list.More)
	}
	f := models.RosterFilter{CohortID: c.Cohort.ID, Segment: models.RosterSegmentAtRisk, InactiveDays: 5}
	page, _, err := c.Store.Roster(ctx, c.Course, f)
	if err != nil {
		t.Fatal(err)
	}
	var atRisk []string
	for _, r := range page.Rows {
		atRisk = append(atRisk, r.FullName)
	}
	slices.Sort(atRisk)
	if !slices.Equal(atRisk, names) {
		t.Errorf("the roster's at-risk students %v differ from the nudge list %v", atRisk, names)
	}
	if len(list.RemindedAt) != 0 {
		t.Errorf("nobody was reminded yet, got %v", list.RemindedAt)
	}
	// The cohort insight's funnel counts the readings due (all three: the
	// cohort is self-paced), and the list read with it is the same.
	in, err := c.Store.CohortInsight(ctx, c.Course, c.Cohort.ID)
	if err != nil {
		t.Fatal(err)
	}
	withInsight, err := c.Store.NudgeListOf(ctx, c.Course, in, 5)
	if err != nil {
		t.Fatal(err)
	}
	if in.ReadingsDue != 3 || !reflect.DeepEqual(withInsight, list) {
		t.Errorf("with the insight (%d due): %+v\nwithout: %+v", in.ReadingsDue, withInsight, list)
	}
	admin := testdb.User(t, c.Store, models.RoleAdmin)
	res, err := c.Store.RemindCohort(ctx, admin, c.Course, c.Cohort.ID, 5, "http://portal.test")
	if err != nil || res.Queued != 4 {
		t.Fatalf("remind: %+v, %v", res, err)
	}
	if list, err = c.Store.NudgeList(ctx, c.Course, c.Cohort, 5); err != nil {
		t.Fatal(err)
	}
	remindedAt := c.Clock.Now()
	for _, r := range list.Students {
		if at := list.Reminded(r.UserID); at == nil || !at.Equal(remindedAt) {
			t.Errorf("%s got a reminder at %v this week, the list says %v", r.FullName, remindedAt, at)
		}
	}
	// A week on, that reminder is last week's.
	c.Clock.Advance(7 * 24 * time.Hour)
	if list, err = c.Store.NudgeList(ctx, c.Course, c.Cohort, 5); err != nil {
		t.Fatal(err)
	}
	if len(list.Students) == 0 || len(list.RemindedAt) != 0 {
		t.Errorf("a week on, the list of %d names last week's reminders: %v", len(list.Students), list.RemindedAt)
	}
	if _, err := c.Store.NudgeList(ctx, c.Course, c.Cohort, -1); err == nil {
		t.Error("negative days were accepted")
	}
}

// TestNudgeListNamesTheFirstFiftyAndSaysThereAreMore: with more students to
// nudge than the roster's first page, the list names that many, the
// quietest first, and says there are more.
func TestNudgeListNamesTheFirstFiftyAndSaysThereAreMore(t *testing.T) {
	c := newInsightClass(t)
	testdb.BulkStudents(t, c.Store, c.Course, c.Cohort, models.DefaultRosterLimit+10)
	c.Clock.Advance(6 * 24 * time.Hour)
	list, err := c.Store.NudgeList(context.Background(), c.Course, c.Cohort, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Students) != models.DefaultRosterLimit || !list.More {
		t.Fatalf("nudge list of %d (more: %v), want %d and more", len(list.Students), list.More, models.DefaultRosterLimit)
	}
	for i := 1; i < len(list.Students); i++ {
		a, b := list.Students[i-1].LastActivityAt, list.Students[i].LastActivityAt
		if a != nil && (b == nil || a.After(*b)) {
			t.Fatalf("row %d is quieter than row %d", i+1, i)
		}
	}
}

// sameCounters compares the counters kept by the writes with a recount from
// the raw progress rows, for one cohort and reading.
func sameCounters(t *testing.T, s *models.Store, cohortID, readingID int64) {
	t.Helper()
	ctx := context.Background()
	kept, keptDays, err := s.StoredStops(ctx, cohortID, readingID)
	if err != nil {
		t.Fatal(err)
	}
	raw, rawDays, err := s.RawStops(ctx, cohortID, readingID)
	if err != nil {
		t.Fatal(err)
	}
	key := func(r models.ReadingStopRow) string { return fmt.Sprintf("%d/%d/%d", r.CohortID, r.Furthest, r.Minute) }
	sortRows := func(rows []models.ReadingStopRow) {
		slices.SortFunc(rows, func(a, b models.ReadingStopRow) int { return strings.Compare(key(a), key(b)) })
	}
	sortRows(kept)
	sortRows(raw)
	if !reflect.DeepEqual(kept, raw) {
		t.Errorf("cohort %d reading %d: counters %+v\nrecounted %+v", cohortID, readingID, kept, raw)
	}
	keptN, rawN := map[int]int{}, map[int]int{}
	for _, d := range keptDays {
		keptN[d.Day] += d.Readers
	}
	for _, d := range rawDays {
		rawN[d.Day] += d.Readers
	}
	if !reflect.DeepEqual(keptN, rawN) {
		t.Errorf("cohort %d reading %d: completions %v, recounted %v", cohortID, readingID, keptN, rawN)
	}
}

func TestInsightCountersMatchARecountFromTheProgressRows(t *testing.T) {
	c := newInsightClass(t)
	ctx := context.Background()
	sameCounters(t, c.Store, c.Cohort.ID, c.reading.ID)
	kept := c.insight(t)
	raw, err := c.Store.ReadingInsightFromProgress(ctx, c.Course, c.reading, c.Cohort.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(kept, raw) {
		t.Errorf("insight from the counters %+v\ndiffers from the recount %+v", kept, raw)
	}
	// A student moved to another cohort takes their reading along.
	other := &models.Cohort{CourseID: c.Course.ID, Name: "Other", Pacing: models.PacingSelfPaced, StartsAt: testdb.Start}
	if err := c.Store.CreateCohort(ctx, other); err != nil {
		t.Fatal(err)
	}
	admin := testdb.User(t, c.Store, models.RoleAdmin)
	if err := c.Store.MoveEnrollment(ctx, admin.ID, c.Course, c.Access(t, "ada", 1).Enrollment.ID, other.ID); err != nil {
		t.Fatal(err)
	}
	c.Complete(t, "ada", 1)
	c.Beat(t, "cyd", 70, "p-5", 120)
	// More seconds in the same paragraph and minute (ben: 60 s to 70 s).
	c.Clock.Advance(10 * time.Second)
	c.Beat(t, "ben", 60, "p-4", 10)
	for _, cohort := range []int64{c.Cohort.ID, other.ID} {
		sameCounters(t, c.Store, cohort, c.reading.ID)
	}
	all, err := c.Store.ReadingInsight(ctx, c.Course, c.reading, 0)
	if err != nil {
		t.Fatal(err)
	}
	allRaw, err := c.Store.ReadingInsightFromProgress(ctx, c.Course, c.reading, 0)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(all, allRaw) || all.Opened != 5 || all.Completed != 2 {
		t.Errorf("every cohort: counters %+v\nrecount %+v", all, allRaw)
	}
}

// counterWrites logs every row written to the insight counters in a table
// of its own, and returns how many were logged so far.
func counterWrites(t *testing.T, s *models.Store) func() int {
	t.Helper()
	db := s.DB()
	tables := []string{"reading_stops", "reading_completions", "cohort_weekly_active"}
	stmts := []string{"CREATE TABLE counter_writes (counter TEXT NOT NULL)"}
	if s.Dialect() == models.Postgres {
		stmts = append(stmts, `CREATE FUNCTION counter_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN INSERT INTO counter_writes VALUES (TG_TABLE_NAME); RETURN NULL; END $$`)
		for _, table := range tables {
			stmts = append(stmts, "CREATE TRIGGER "+table+"_logged AFTER INSERT OR UPDATE OR DELETE ON "+table+
				" FOR EACH ROW EXECUTE FUNCTION counter_written()")
		}
	} else {
		for _, table := range tables {
			for _, op := range []string{"INSERT", "UPDATE", "DELETE"} {
				stmts = append(stmts, "CREATE TRIGGER "+table+"_logged_"+strings.ToLower(op)+" AFTER "+op+" ON "+table+
					" BEGIN INSERT INTO counter_writes VALUES ('"+table+"'); END")
			}
		}
	}
	for _, sql := range stmts {
		if err := db.Exec(sql).Error; err != nil {
			t.Fatal(err)
		}
	}
	return func() int {
		t.Helper()
		var n int64
		if err := db.Raw("SELECT COUNT(*) FROM counter_writes").Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		return int(n)
	}
}

func TestTheCommonProgressReportWritesNoCounter(t *testing.T) {
	c := newInsightClass(t)
	written := counterWrites(t, c.Store)
	steps := []struct {
		what           string
		percent        int
		position       string
		wait, seconds  int
		counterWritten int
	}{
		// ben is at p-4 after 60 s (minute 1), in the cohort's second week.
		{"more seconds, same paragraph and minute (60 s to 70 s)", 60, "p-4", 10, 10, 0},
		{"an earlier paragraph and more seconds in the minute (70 s to 80 s)", 60, "p-2", 10, 10, 0},
		{"nothing new (a report of 0 s)", 60, "p-4", 10, 0, 0},
		// Leaving one counter row for another: one row down, one up.
		{"into the next minute (80 s to 120 s)", 60, "p-4", 40, 40, 2},
		{"a further paragraph in the same minute (120 s)", 70, "p-5", 0, 0, 2},
	}
	for _, st := range steps {
		before := written()
		c.Clock.Advance(time.Duration(st.wait) * time.Second)
		c.Beat(t, "ben", st.percent, st.position, st.seconds)
		if got := written() - before; got != st.counterWritten {
			t.Errorf("%s: %d counter rows written, want %d", st.what, got, st.counterWritten)
		}
	}
	before := written()
	c.Complete(t, "ben", 1)
	if written() == before {
		t.Error("a completion wrote no counter")
	}
	sameCounters(t, c.Store, c.Cohort.ID, c.reading.ID)
}

// TestCohortInsightCountsTheReadingsDue: on a scheduled cohort eight days
// in, weeks 1 and 2 are open, so two of the three required readings are
// due, as the nudge list counts them on its own.
func TestCohortInsightCountsTheReadingsDue(t *testing.T) {
	store, clock := testdb.Open(t)
	ctx := context.Background()
	c := testdb.NewClass(t, store, clock, models.PacingScheduled)
	c.Enroll(t, "ada")
	clock.Advance(8 * testdb.Day)
	in, err := store.CohortInsight(ctx, c.Course, c.Cohort.ID)
	if err != nil {
		t.Fatal(err)
	}
	list, err := store.NudgeList(ctx, c.Course, c.Cohort, 5)
	if err != nil {
		t.Fatal(err)
	}
	withInsight, err := store.NudgeListOf(ctx, c.Course, in, 5)
	if err != nil {
		t.Fatal(err)
	}
	if in.ReadingsDue != 2 || len(list.Students) != 1 || list.Students[0].ReadingsDue != 2 || !reflect.DeepEqual(withInsight, list) {
		t.Errorf("due %d; nudge list %+v; with the insight %+v", in.ReadingsDue, list, withInsight)
	}
}

// TestActivityOnManyDaysCountsOncePerWeek: the weekly-active counter and
// the roster's standing both follow a student's last activity, by UTC week
// and by UTC day. A student reads on Monday, Tuesday, late on Sunday, early
// the next Monday and two weeks later: three active weeks, one student in
// each, and the standing on the day of each report.
func TestActivityOnManyDaysCountsOncePerWeek(t *testing.T) {
	store, clock := testdb.Open(t)
	c := testdb.NewClass(t, store, clock, models.PacingSelfPaced)
	c.Enroll(t, "eve")
	enrollment := c.Access(t, "eve", 1).Enrollment.ID
	monday := testdb.Start.Truncate(testdb.Day) // Start is a Monday
	reports := []time.Time{
		monday.Add(9 * time.Hour),
		monday.Add(testdb.Day + 10*time.Hour),
		monday.Add(7*testdb.Day - time.Minute),
		monday.Add(7*testdb.Day + time.Minute),
		monday.Add(21*testdb.Day + 12*time.Hour),
	}
	for i, at := range reports {
		clock.T = at
		c.Beat(t, "eve", 10*(i+1), fmt.Sprintf("p-%d", i+1), 10)
		var day int64
		err := store.DB().Raw("SELECT day FROM roster_standing WHERE enrollment_id = ?", enrollment).Row().Scan(&day)
		if err != nil {
			t.Fatalf("report %d: %v", i, err)
		}
		if want := at.Unix() / 86400; day != want {
			t.Errorf("report %d on %s: the standing's day is %d, want %d", i, at.Format(time.DateTime), day, want)
		}
	}
	in, err := store.CohortInsight(context.Background(), c.Course, c.Cohort.ID)
	if err != nil {
		t.Fatal(err)
	}
	active := map[string]int{}
	for _, w := range in.Weeks {
		active[w.Monday.Format(time.DateOnly)] = w.Students
	}
	want := map[string]int{"2026-03-02": 1, "2026-03-09": 1, "2026-03-23": 1}
	for monday, n := range want {
		if active[monday] != n {
			t.Errorf("week of %s: %d active, want %d (all weeks: %v)", monday, active[monday], n, active)
		}
	}
	for monday, n := range active {
		if want[monday] == 0 && n != 0 {
			t.Errorf("week of %s: %d active, want none (all weeks: %v)", monday, n, active)
		}
	}
}

// The benchmarks' switch: with the insight triggers off a report that
// enters a new minute writes no counter; on again, the next one does.
func TestInsightTriggersSwitchOffAndOn(t *testing.T) {
	c := newInsightClass(t)
	ctx := context.Background()
	written := counterWrites(t, c.Store)
	triggers := c.Store.InsightTriggers()
	for _, on := range []bool{false, true, false, true} {
		switchTo := triggers.Off
		if on {
			switchTo = triggers.On
		}
		if err := switchTo(ctx); err != nil {
			t.Fatal(err)
		}
		before := written()
		c.Clock.Advance(time.Minute)
		c.Beat(t, "ben", 60, "p-4", 60) // always a new minute
		if got := written() - before; (got > 0) != on {
			t.Errorf("triggers on = %v: %d counter rows written", on, got)
		}
	}
}

// A progress row removed by hand (a completed one and one part-way) takes
// its reader out of the counters.
func TestRemovedProgressLeavesTheCounters(t *testing.T) {
	c := newInsightClass(t)
	for _, name := range []string{"dee", "ben"} {
		id := c.Access(t, name, 1).Enrollment.ID
		res := c.Store.DB().Exec("DELETE FROM reading_progress WHERE enrollment_id = ? AND reading_id = ?", id, c.reading.ID)
		if res.Error != nil || res.RowsAffected != 1 {
			t.Fatalf("removing %s's progress: %v, %d rows", name, res.Error, res.RowsAffected)
		}
		sameCounters(t, c.Store, c.Cohort.ID, c.reading.ID)
	}
	if in := c.insight(t); in.Opened != 3 || in.Completed != 0 {
		t.Errorf("after removing two readers: opened %d, completed %d; want 3, 0", in.Opened, in.Completed)
	}
}
