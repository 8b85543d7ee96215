package models_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

func accessFor(t *testing.T, s *models.Store, u *models.User, c *models.Course, reading string) *models.Access {
	t.Helper()
	a, err := s.ReadingAccess(context.Background(), u.ID, c.Slug, reading)
	if err != nil {
		t.Fatalf("access to %s: %v", reading, err)
	}
	return a
}

func TestConcurrentProgressKeepsTheMaximum(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, store, 1, models.Cohort{})
	u := testdb.User(t, store, models.RoleStudent)
	if _, err := store.Enroll(ctx, u.ID, course); err != nil {
		t.Fatal(err)
	}
	a := accessFor(t, store, u, course, "reading-1")

	var wg sync.WaitGroup
	maxPercent, maxPos := 0, 0
	var mu sync.Mutex
	for range 60 {
		percent, pos := rand.IntN(96), 1+rand.IntN(10)
		mu.Lock()
		maxPercent, maxPos = max(maxPercent, percent), max(maxPos, pos)
		mu.Unlock()
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := store.RecordProgress(ctx, a, models.ProgressUpdate{Percent: percent, Position: fmt.Sprintf("p-%d", pos), Seconds: 5})
			if err != nil {
				t.Errorf("progress: %v", err)
			}
		}()
	}
	wg.Wait()
	var p models.ReadingProgress
	if err := store.DB().Where("enrollment_id = ?", a.Enrollment.ID).Take(&p).Error; err != nil {
		t.Fatal(err)
	}
	if p.Percent != maxPercent || p.Furthest != maxPos {
		t.Fatalf("stored %d%% at p-%d, want the maximum %d%% at p-%d", p.Percent, p.Furthest, maxPercent, maxPos)
	}
}

func TestConcurrentCompletionIssuesExactlyOneCertificate(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, store, 2, models.Cohort{})
	for round := range 5 {
		u := testdb.User(t, store, models.RoleStudent)
		if _, err := store.Enroll(ctx, u.ID, course); err != nil {
			t.Fatal(err)
		}
		first := accessFor(t, store, u, course, "reading-1")
		second := accessFor(t, store, u, course, "reading-2")
		var wg sync.WaitGroup
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				a := first
				if i%2 == 1 {
					a = second
				}
				copyOf := *a
				enr := *a.Enrollment
				copyOf.Enrollment = &enr
				if _, err := store.CompleteReading(ctx, &copyOf); err != nil {
					t.Errorf("complete: %v", err)
				}
			}()
		}
		wg.Wait()
		var certs int64
		store.DB().Model(&models.Certificate{}).Where("user_id = ?", u.ID).Count(&certs)
		var e models.Enrollment
		store.DB().Where("user_id = ?", u.ID).Take(&e)
		if certs != 1 || e.Status != models.StatusCompleted {
			t.Fatalf("round %d: %d certificates, enrollment %s; want exactly one and completed", round, certs, e.Status)
		}
	}
}

func TestCompletionWaitsForEveryRequiredReading(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, store, 2, models.Cohort{})
	u := testdb.User(t, store, models.RoleStudent)
	if _, err := store.Enroll(ctx, u.ID, course); err != nil {
		t.Fatal(err)
	}
	res, err := store.CompleteReading(ctx, accessFor(t, store, u, course, "reading-1"))
	if err != nil || !res.Completed || res.CourseCompleted {
		t.Fatalf("first reading: %+v, %v", res, err)
	}
	res, err = store.CompleteReading(ctx, accessFor(t, store, u, course, "reading-2"))
	if err != nil || !res.CourseCompleted || res.CertificateCode == "" {
		t.Fatalf("last reading: %+v, %v", res, err)
	}
	cert, err := store.CertificateByCode(ctx, res.CertificateCode)
	if err != nil || cert.RecipientName != u.FullName || cert.CourseTitle != course.Title || cert.IssuerName != "Test Provider" {
		t.Fatalf("certificate = %+v, %v", cert, err)
	}
}
