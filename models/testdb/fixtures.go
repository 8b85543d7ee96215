package testdb

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"courseportal/models"
)

// Password is the password of every fixture user.
const Password = "correct horse battery"

var (
	hashOnce sync.Once
	hash     string
	seq      atomic.Int64
)

// User inserts a user quickly: the password hash is computed once per run.
func User(t testing.TB, s *models.Store, role string) *models.User {
	t.Helper()
	hashOnce.Do(func() {
		var err error
		if hash, err = models.HashPassword(context.Background(), Password); err != nil {
			panic(err)
		}
	})
	n := seq.Add(1)
	u := &models.User{Email: fmt.Sprintf("person%d@example.org", n), FullName: fmt.Sprintf("Person %d", n),
		PasswordHash: hash, Role: role, CreatedAt: s.Now(), UpdatedAt: s.Now()}
	if err := s.DB().Create(u).Error; err != nil {
		t.Fatalf("testdb: create user: %v", err)
	}
	return u
}

// Course creates a course of the given number of weeks, each with one
// required reading of ten paragraphs, and one cohort.
func Course(t testing.TB, s *models.Store, weeks int, cohort models.Cohort) (*models.Course, *models.Cohort) {
	t.Helper()
	ctx := context.Background()
	n := seq.Add(1)
	c := &models.Course{Slug: fmt.Sprintf("course-%d", n), Title: fmt.Sprintf("Course %d", n),
		Subtitle: "A test course", Provider: "Test Provider", Published: true}
	for i := 1; i <= weeks; i++ {
		c.Weeks = append(c.Weeks, models.Week{Title: fmt.Sprintf("Week %d", i), Summary: "Summary"})
	}
	if err := s.CreateCourse(ctx, c); err != nil {
		t.Fatalf("testdb: create course: %v", err)
	}
	for i := range c.Weeks {
		r := &models.Reading{CourseID: c.ID, WeekID: c.Weeks[i].ID, Slug: fmt.Sprintf("reading-%d", i+1),
			Title: fmt.Sprintf("Reading %d", i+1), BodyMarkdown: Paragraphs(10), Position: 1,
			Required: true, Published: true}
		if err := s.SaveReading(ctx, r); err != nil {
			t.Fatalf("testdb: create reading: %v", err)
		}
		c.Weeks[i].Readings = []models.Reading{*r}
	}
	cohort.CourseID = c.ID
	if cohort.Name == "" {
		cohort.Name = "Test cohort"
	}
	if cohort.Pacing == "" {
		cohort.Pacing = models.PacingSelfPaced
	}
	if cohort.StartsAt.IsZero() {
		cohort.StartsAt = s.Now()
	}
	if err := s.CreateCohort(ctx, &cohort); err != nil {
		t.Fatalf("testdb: create cohort: %v", err)
	}
	return c, &cohort
}

// Paragraphs returns Markdown of n paragraphs of twenty words each.
func Paragraphs(n int) string {
	var b strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&b, "Paragraph %d %s\n\n", i, strings.TrimSpace(strings.Repeat("word ", 18)))
	}
	return b.String()
}

// Capacity is a helper for a cohort's optional capacity.
func Capacity(n int) *int { return &n }
