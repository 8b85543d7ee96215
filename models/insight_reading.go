package models

import (
	"context"
	"slices"
	"time"

	"courseportal/models/markdown"
)

// readingStop is one counter row: the readers of a cohort whose furthest
// paragraph is Furthest and who read for Minute whole minutes.
type readingStop struct {
	CohortID int64
	Furthest int
	Minute   int
	Readers  int
}

// maxStopMinute is the last minute the counters tell apart: its row holds
// everyone who read for that long or longer.
const maxStopMinute = 600

// stopMinute is the counters' minute of a reading time in seconds, as the
// triggers of migration 12 compute it.
func stopMinute(seconds int) int {
	return min(seconds/60, maxStopMinute)
}

// minuteSeconds is the reading time the insight takes for a reader of the
// given counter minute: the middle of the minute (a reader of 2 min 0 s to
// 2 min 59 s counts as 2 min 30 s), and the minute's start for the last,
// open-ended one. The counters keep no seconds, so that a report that only
// adds seconds within the minute writes no counter.
func minuteSeconds(minute int) int {
	if minute >= maxStopMinute {
		return maxStopMinute * 60
	}
	return minute*60 + 30
}

// completionCount is one counter row: a cohort's completions on a UTC day
// (days since 1970-01-01).
type completionCount struct {
	CohortID int64
	Day      int
	Readers  int
}

// countsQuery is storedCounts' statement for the cohorts whose ids are in
// the list or subquery given (with one placeholder): the stop rows (the
// shards of each count summed) and then the completion days, told apart by
// kind. One cohort is a list of one rather than "= ?": SQLite plans a
// statement again once its values are bound when an "= ?" on an indexed
// column could change the plan (after ANALYZE), which cost the statement
// about a third of its time here.
func countsQuery(in string) string {
	return `SELECT 0 AS kind, cohort_id, furthest AS at, minute, SUM(readers) AS readers
FROM reading_stops WHERE cohort_id IN ` + in + ` AND reading_id = ?
GROUP BY cohort_id, furthest, minute HAVING SUM(readers) > 0
UNION ALL
SELECT 1, cohort_id, day, 0, readers FROM reading_completions
WHERE cohort_id IN ` + in + ` AND reading_id = ? AND readers > 0`
}

// The counters of one cohort, and of every cohort of a course.
var (
	cohortCountsQuery = countsQuery("(?)")
	courseCountsQuery = countsQuery("(SELECT id FROM cohorts WHERE course_id = ?)")
)

// storedCounts reads the counters kept by the progress writes in one
// statement. The rows are scanned by hand: a class of thousands has
// hundreds of stop rows, and scanning them through GORM's reflection cost
// more than the query.
func (s *Store) storedCounts(ctx context.Context, scope *insightScope, readingID int64) ([]readingStop, []completionCount, error) {
	query, cohorts := courseCountsQuery, scope.courseID
	if scope.cohortID != 0 {
		query, cohorts = cohortCountsQuery, scope.cohortID
	}
	var stops []readingStop
	var days []completionCount
	var kind, at, minute, readers int
	var cohortID int64
	err := s.readRows(ctx, "reading counters", query, []any{cohorts, readingID, cohorts, readingID},
		[]any{&kind, &cohortID, &at, &minute, &readers}, func() error {
			if kind == 0 {
				stops = append(stops, readingStop{CohortID: cohortID, Furthest: at, Minute: minute, Readers: readers})
			} else {
				days = append(days, completionCount{CohortID: cohortID, Day: at, Readers: readers})
			}
			return nil
		})
	if err != nil {
		return nil, nil, err
	}
	return stops, days, nil
}

// section is a run of paragraphs under one heading (title), or under none
// (untitled).
type section struct {
	title, untitled string
	first, last     int
}

// sectionsOf cuts a reading into sections at its headings; paragraphs
// before the first heading make an opening section.
func sectionsOf(doc markdown.Document) []section {
	var out []section
	start, title, untitled := 1, "", SectionOpening
	if len(doc.Headings) == 0 {
		untitled = SectionWhole
	}
	for _, h := range doc.Headings {
		if h.After >= start {
			out = append(out, section{title: title, untitled: untitled, first: start, last: h.After})
		}
		start, title, untitled = h.After+1, h.Text, ""
	}
	if start <= doc.Paragraphs {
		out = append(out, section{title: title, untitled: untitled, first: start, last: doc.Paragraphs})
	}
	return out
}

// weighted is a value held by Weight students.
type weighted struct {
	Value  float64
	Weight int
}

// addStops fills the drop-off curve and the sections' times.
func (r *ReadingInsight) addStops(stops []readingStop, openings []string, words []int, sections []section) {
	n := len(openings)
	stopped := make([]int, n+1)
	for _, st := range stops {
		r.Opened += st.Readers
		stopped[min(st.Furthest, n)] += st.Readers
	}
	r.NeverScrolled = stopped[0]
	reached := 0
	r.Paragraphs = make([]ParagraphReach, n)
	for p := n; p >= 1; p-- {
		reached += stopped[p]
		r.Paragraphs[p-1] = ParagraphReach{Number: p, Opening: openings[p-1], Reached: reached, Stopped: stopped[p]}
	}
	prefix := make([]int, n+1) // prefix[p]: words in paragraphs 1..p
	for p := 1; p <= n; p++ {
		prefix[p] = prefix[p-1] + words[p-1]
	}
	for _, sec := range sections {
		var times []weighted
		for _, st := range stops {
			f := min(st.Furthest, n)
			if f < sec.first || prefix[f] == 0 {
				continue
			}
			seconds := float64(minuteSeconds(st.Minute))
			inSection := prefix[min(sec.last, f)] - prefix[sec.first-1]
			times = append(times, weighted{Value: seconds * float64(inSection) / float64(prefix[f]), Weight: st.Readers})
		}
		t := SectionTime{Title: sec.title, Untitled: sec.untitled, First: sec.first, Last: sec.last, MedianSeconds: weightedMedian(times)}
		if sec.first <= n {
			t.Reached = r.Paragraphs[sec.first-1].Reached
		}
		r.Sections = append(r.Sections, t)
	}
}

// weightedMedian is the lower median of the values, each counted Weight
// times, rounded to whole seconds; 0 when there are none.
func weightedMedian(values []weighted) int {
	total := 0
	for _, v := range values {
		total += v.Weight
	}
	if total == 0 {
		return 0
	}
	slices.SortFunc(values, func(a, b weighted) int {
		switch {
		case a.Value < b.Value:
			return -1
		case a.Value > b.Value:
			return 1
		}
		return 0
	})
	seen := 0
	for _, v := range values {
		seen += v.Weight
		if 2*seen >= total {
			return int(v.Value + 0.5)
		}
	}
	return 0
}

// maxCompletionDays bounds the completion curve's length.
const maxCompletionDays = 180

// epochDay is the number of whole UTC days from 1970-01-01 to t.
func epochDay(t time.Time) int {
	return int(t.Unix() / 86400)
}

// addCompletions turns completions per calendar day into a cumulative
// curve over the days since each cohort started, up to today in the
// longest-running one.
func (r *ReadingInsight) addCompletions(rows []completionCount, scope *insightScope, now time.Time) {
	last := -1
	perDay := map[int]int{}
	for _, c := range rows {
		day := max(0, c.Day-epochDay(scope.starts[c.CohortID]))
		perDay[day] += c.Readers
		r.Completed += c.Readers
		last = max(last, day)
	}
	for _, start := range scope.starts {
		last = max(last, epochDay(now)-epochDay(start))
	}
	last = min(last, maxCompletionDays)
	total := 0
	for day := 0; day <= last; day++ {
		total += perDay[day]
		r.Completions = append(r.Completions, CompletionDay{Day: day, Completed: perDay[day], Total: total})
	}
	// Completions past the curve's end still count in its last point.
	if n := len(r.Completions); n > 0 {
		r.Completions[n-1].Total = r.Completed
	}
}
