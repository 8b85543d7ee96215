package models_test

import (
	"context"
	"sync"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

func TestCourseNotReadyIssuesNothingAndOpeningCompletesTheEligibleOnce(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, store, 2, models.Cohort{})
	// Week 2's reading becomes a draft: the course is not ready.
	if err := store.SetReadingFlag(ctx, 0, course, &course.Weeks[1].Readings[0], "published", false); err != nil {
		t.Fatal(err)
	}
	rules, err := store.CourseRulesOf(ctx, course.ID)
	if err != nil || rules.Ready() || rules.Weeks != 2 || rules.WeeksCovered != 1 || rules.Required != 1 {
		t.Fatalf("rules = %+v, %v", rules, err)
	}
	done, started := testdb.User(t, store, models.RoleStudent), testdb.User(t, store, models.RoleStudent)
	for _, u := range []*models.User{done, started} {
		if _, err := store.Enroll(ctx, u.ID, course); err != nil {
			t.Fatal(err)
		}
	}
	res, err := store.CompleteReading(ctx, accessFor(t, store, done, course, "reading-1"))
	if err != nil || !res.Completed || res.CourseCompleted || res.CertificateCode != "" {
		t.Fatalf("completing everything of a course that is not ready = %+v, %v", res, err)
	}
	if _, err := store.RecordProgress(ctx, accessFor(t, store, started, course, "reading-1"),
		models.ProgressUpdate{Percent: 40, Position: "p-4", Seconds: 20}); err != nil {
		t.Fatal(err)
	}
	assertCertificates(t, store, 0)

	// Two staff open certificates at the same moment: one completion.
	var wg sync.WaitGroup
	completed := make(chan int, 2)
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := *course
			n, err := store.OpenCertificates(ctx, 0, &c)
			if err != nil {
				t.Errorf("open certificates: %v", err)
			}
			completed <- n
		}()
	}
	wg.Wait()
	close(completed)
	total := 0
	for n := range completed {
		total += n
	}
	if total != 1 {
		t.Fatalf("opening certificates completed %d enrollments, want 1", total)
	}
	assertCertificates(t, store, 1)
	var cert models.Certificate
	if err := store.DB().Take(&cert).Error; err != nil {
		t.Fatal(err)
	}
	if cert.UserID != done.ID {
		t.Fatalf("the certificate went to user %d, want %d", cert.UserID, done.ID)
	}
	want := "Read every required reading published so far (1 reading, in 1 of the two weeks; the course staff opened certificates before the full course was published)."
	if cert.Criteria != want {
		t.Fatalf("criteria = %q, want %q", cert.Criteria, want)
	}
	if n, err := store.OpenCertificates(ctx, 0, course); err != nil || n != 0 {
		t.Fatalf("opening again = %d, %v", n, err)
	}
	assertCertificates(t, store, 1)
}

func TestPublishingTheLastWeekMakesTheCourseReady(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, store, 2, models.Cohort{})
	week2 := &course.Weeks[1].Readings[0]
	if err := store.SetReadingFlag(ctx, 0, course, week2, "required", false); err != nil {
		t.Fatal(err)
	}
	u := testdb.User(t, store, models.RoleStudent)
	if _, err := store.Enroll(ctx, u.ID, course); err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"reading-1", "reading-2"} {
		if _, err := store.CompleteReading(ctx, accessFor(t, store, u, course, slug)); err != nil {
			t.Fatal(err)
		}
	}
	assertCertificates(t, store, 0)
	if err := store.SetReadingFlag(ctx, 0, course, week2, "required", true); err != nil {
		t.Fatal(err)
	}
	assertCertificates(t, store, 1)
	var cert models.Certificate
	if err := store.DB().Take(&cert).Error; err != nil {
		t.Fatal(err)
	}
	if cert.Criteria != "Read every required reading of the two weeks." {
		t.Fatalf("criteria = %q", cert.Criteria)
	}
}

func TestCriteriaStateTheChecksAndTheirPassMark(t *testing.T) {
	eighty, sixty := 80, 60
	for _, tc := range []struct {
		rules models.CourseRules
		want  string
	}{
		{models.CourseRules{Weeks: 6, WeeksCovered: 6, Required: 6, Checks: 6, MinPass: &eighty, MaxPass: &eighty},
			"Read every required reading of the six weeks and passed each knowledge check with at least 80 %."},
		{models.CourseRules{Weeks: 6, WeeksCovered: 6, Required: 7, Checks: 2, MinPass: &sixty, MaxPass: &eighty},
			"Read every required reading of the six weeks and passed the knowledge checks of the 2 of them that have one with at least its pass mark (60 % to 80 %)."},
		{models.CourseRules{Weeks: 6, WeeksCovered: 1, Required: 1, Checks: 1, MinPass: &eighty, MaxPass: &eighty, CertificatesOpen: true},
			"Read every required reading published so far (1 reading, in 1 of the six weeks; the course staff opened certificates before the full course was published) and passed its knowledge check with at least 80 %."},
	} {
		if got := tc.rules.Criteria(); got != tc.want {
			t.Errorf("criteria = %q\nwant %q", got, tc.want)
		}
	}
}

func assertCertificates(t *testing.T, store *models.Store, want int64) {
	t.Helper()
	var n int64
	if err := store.DB().Model(&models.Certificate{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Fatalf("%d certificates, want %d", n, want)
	}
}
