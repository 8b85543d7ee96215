package testdb

import (
	"context"
	"fmt"
	"testing"
	"time"

	"courseportal/models"
)

// Day is a calendar day on the fixtures' clock.
const Day = 24 * time.Hour

// Class is a three-week course with one cohort and named students, the
// fixture of the roster, reminder and export tests of every package.
type Class struct {
	Store    *models.Store
	Clock    *models.FixedClock
	Course   *models.Course
	Cohort   *models.Cohort
	Students map[string]*models.User
}

// NewClass creates the course on store, with one cohort of the given pacing
// starting at Start, and no students yet.
func NewClass(t testing.TB, store *models.Store, clock *models.FixedClock, pacing string) *Class {
	t.Helper()
	course, cohort := Course(t, store, 3, models.Cohort{Pacing: pacing, StartsAt: Start})
	return &Class{Store: store, Clock: clock, Course: course, Cohort: cohort, Students: map[string]*models.User{}}
}

// SeedFive enrolls the standard five students an hour after the start, then
// moves the clock to day 15 (on a scheduled cohort every week is open):
//
//	ada    completed readings 1 and 2 on day 15  (active, behind, but recent)
//	ben    read 50% of reading 1 on day 0        (at risk)
//	cyd    never opened anything                 (not started, at risk)
//	dee    completed all three                   (completed, certificate)
//	eve    withdrew                              (hidden unless asked for)
func (c *Class) SeedFive(t testing.TB) {
	t.Helper()
	c.Clock.Advance(time.Hour)
	for _, name := range []string{"ada", "ben", "cyd", "dee", "eve"} {
		c.Enroll(t, name)
	}
	c.Read(t, "ben", 1, 50)
	if err := c.Store.Withdraw(context.Background(), c.Students["eve"].ID, c.Course); err != nil {
		t.Fatal(err)
	}
	c.Clock.Advance(15 * Day)
	c.Complete(t, "ada", 1, 2)
	c.Complete(t, "dee", 1, 2, 3)
}

// Enroll signs up a student whose full name is name (any text, even hostile).
func (c *Class) Enroll(t testing.TB, name string) *models.User {
	t.Helper()
	u := User(t, c.Store, models.RoleStudent)
	if err := c.Store.DB().Model(u).Update("full_name", name).Error; err != nil {
		t.Fatal(err)
	}
	u.FullName = name
	if _, err := c.Store.Enroll(context.Background(), u.ID, c.Course); err != nil {
		t.Fatal(err)
	}
	c.Students[name] = u
	return u
}

// Access opens reading number n (1 to 3) for the named student.
func (c *Class) Access(t testing.TB, name string, n int) *models.Access {
	t.Helper()
	reading := fmt.Sprintf("reading-%d", n)
	a, err := c.Store.ReadingAccess(context.Background(), c.Students[name].ID, c.Course.Slug, reading)
	if err != nil {
		t.Fatalf("%s opens %s: %v", name, reading, err)
	}
	return a
}

// Read records that the named student read percent of reading n.
func (c *Class) Read(t testing.TB, name string, n, percent int) {
	t.Helper()
	_, err := c.Store.RecordProgress(context.Background(), c.Access(t, name, n),
		models.ProgressUpdate{Percent: percent, Position: "p-3", Seconds: 20})
	if err != nil {
		t.Fatal(err)
	}
}

// Complete marks readings complete for the named student.
func (c *Class) Complete(t testing.TB, name string, readings ...int) {
	t.Helper()
	for _, n := range readings {
		if _, err := c.Store.CompleteReading(context.Background(), c.Access(t, name, n)); err != nil {
			t.Fatal(err)
		}
	}
}

// BulkStudents adds n active students to a cohort in a few statements
// (fixtures one by one would take minutes), named "Bulk Student 00000" on,
// and returns their enrollments.
func BulkStudents(t testing.TB, s *models.Store, course *models.Course, cohort *models.Cohort, n int) []models.Enrollment {
	t.Helper()
	now := s.Now()
	users := make([]models.User, n)
	for i := range users {
		users[i] = models.User{Email: fmt.Sprintf("bulk%d-%05d@example.org", course.ID, i), FullName: fmt.Sprintf("Bulk Student %05d", i),
			PasswordHash: "x", Role: models.RoleStudent, EmailVerifiedAt: &now, CreatedAt: now, UpdatedAt: now}
	}
	if err := s.DB().CreateInBatches(&users, 500).Error; err != nil {
		t.Fatal(err)
	}
	enrollments := make([]models.Enrollment, n)
	for i := range enrollments {
		enrollments[i] = models.Enrollment{UserID: users[i].ID, CourseID: course.ID, CohortID: cohort.ID,
			Status: models.StatusActive, CreatedAt: now, ActivatedAt: &now}
	}
	if err := s.DB().CreateInBatches(&enrollments, 500).Error; err != nil {
		t.Fatal(err)
	}
	return enrollments
}

// Outbox returns the outbox rows of a kind ("" for every kind) in id order.
func Outbox(t testing.TB, s *models.Store, kind string) []models.OutboxEntry {
	t.Helper()
	q := s.DB().Order("id")
	if kind != "" {
		q = q.Where("kind = ?", kind)
	}
	var rows []models.OutboxEntry
	if err := q.Find(&rows).Error; err != nil {
		t.Fatal(err)
	}
	return rows
}
