package models_test

import (
	"context"
	"fmt"
	"testing"

	"courseportal/models"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// wantScores are testdb's SeedChecks results on readings 2 and 3.
var wantScores = map[string][]models.CheckScore{
	"ada": {{Attempts: 2, BestPercent: 50}, {Attempts: 1, BestPercent: 0}},
	"ben": {{Attempts: 1, BestPercent: 100, Passed: true}, {}},
	"cyd": {{}, {}},
	"dee": {{Attempts: 2, BestPercent: 100, Passed: true}, {Attempts: 1, BestPercent: 100, Passed: true}},
	"eve": {{}, {}},
}

func checkSlugs(checks []models.RosterCheck) string {
	var s []string
	for _, c := range checks {
		s = append(s, fmt.Sprintf("%s/w%d/%d%%", c.ReadingSlug, c.Week, c.PassPercent))
	}
	return fmt.Sprint(s)
}

func TestRosterShowsCheckScores(t *testing.T) {
	c := seedClass(t, models.PacingScheduled)
	c.SeedChecks(t)
	page, _, err := c.Store.Roster(context.Background(), c.Course, models.RosterFilter{Status: models.RosterStatusAll, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := checkSlugs(page.Checks); got != "[reading-2/w2/100% reading-3/w3/100%]" {
		t.Fatalf("page checks = %s", got)
	}
	seen := 0
	for {
		for _, r := range page.Rows {
			seen++
			if got, want := fmt.Sprint(r.Checks), fmt.Sprint(wantScores[r.FullName]); got != want {
				t.Errorf("%s: scores %s, want %s", r.FullName, got, want)
			}
		}
		if page.Next == "" {
			break
		}
		if page, _, err = c.Store.Roster(context.Background(), c.Course,
			models.RosterFilter{Status: models.RosterStatusAll, Limit: 3, After: page.Next}); err != nil {
			t.Fatal(err)
		}
	}
	if seen != 5 {
		t.Fatalf("the roster's pages held %d students, want 5", seen)
	}

	// The progress-sorted roster aggregates before it pages; same scores.
	page, _, err = c.Store.Roster(context.Background(), c.Course, models.RosterFilter{Sort: "percent", Desc: true})
	if err != nil || len(page.Rows) != 4 || page.Rows[0].FullName != "dee" {
		t.Fatalf("by percent: %+v, %v", page, err)
	}
	for _, r := range page.Rows {
		if got, want := fmt.Sprint(r.Checks), fmt.Sprint(wantScores[r.FullName]); got != want {
			t.Errorf("by percent, %s: scores %s, want %s", r.FullName, got, want)
		}
	}
}

func TestStreamRosterShowsCheckScores(t *testing.T) {
	c := seedClass(t, models.PacingScheduled)
	c.SeedChecks(t)
	checks, err := c.Store.RosterChecks(context.Background(), c.Course.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := checkSlugs(checks); got != "[reading-2/w2/100% reading-3/w3/100%]" {
		t.Fatalf("checks = %s", got)
	}
	for _, sort := range []string{"name", "percent", "completed_at"} {
		var order []string
		err := c.Store.StreamRoster(context.Background(), c.Course, models.RosterFilter{Status: models.RosterStatusAll, Sort: sort}, checks,
			func(r *models.RosterRow) error {
				order = append(order, r.FullName)
				if got, want := fmt.Sprint(r.Checks), fmt.Sprint(wantScores[r.FullName]); got != want {
					t.Errorf("sort %s, %s: scores %s, want %s", sort, r.FullName, got, want)
				}
				return nil
			})
		if err != nil || len(order) != 5 {
			t.Fatalf("sort %s: exported %v: %v", sort, order, err)
		}
	}
	// Without checks asked for, rows carry none.
	err = c.Store.StreamRoster(context.Background(), c.Course, models.RosterFilter{}, nil, func(r *models.RosterRow) error {
		if len(r.Checks) != 0 {
			t.Errorf("%s: scores %v without checks asked for", r.FullName, r.Checks)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestRosterWithChecksRunsAFixedNumberOfQueries(t *testing.T) {
	c := seedClass(t, models.PacingScheduled)
	second, _ := c.SeedChecks(t)
	counter := &queryCounter{Interface: logger.Discard}
	counted := models.NewStore(c.Store.DB().Session(&gorm.Session{Logger: counter}), c.Store.Dialect(), c.Clock)
	run := func(f models.RosterFilter) int {
		counter.n = 0
		page, _, err := counted.Roster(context.Background(), c.Course, f)
		if err != nil || len(page.Checks) != 2 {
			t.Fatalf("roster %+v: %+v, %v", f, page, err)
		}
		return counter.n
	}
	filters := []models.RosterFilter{{}, {Sort: "percent"}}
	var small []int
	for _, f := range filters {
		small = append(small, run(f))
	}
	for i := range 30 {
		name := fmt.Sprintf("more %d", i)
		c.Enroll(t, name)
		c.Read(t, name, 1, 10)
		c.Attempt(t, name, 2, second, i%3)
	}
	for i, f := range filters {
		if big := run(f); big != small[i] || small[i] > 5 {
			t.Errorf("roster %+v ran %d queries for 5 students and %d for 35; want the same, at most 5 (one more than without checks)",
				f, small[i], big)
		}
	}
}
