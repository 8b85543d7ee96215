package testdb

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"courseportal/models"

	"gorm.io/gorm"
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
	now := s.Now()
	// Fixture people have confirmed their address, like most real ones.
	u := &models.User{Email: fmt.Sprintf("person%d@example.org", n), FullName: fmt.Sprintf("Person %d", n),
		PasswordHash: hash, Role: role, EmailVerifiedAt: &now, CreatedAt: now, UpdatedAt: now}
	if err := s.DB().Create(u).Error; err != nil {
		t.Fatalf("testdb: create user: %v", err)
	}
	if role == models.RoleAdmin {
		// Administrators cannot use the console without a second factor.
		EnableMFA(t, s, u)
	}
	return u
}

// MFASecret is the TOTP secret of every fixture user with a second factor.
const MFASecret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

// EnableMFA gives a fixture user a confirmed second factor with MFASecret
// and the recovery codes RecoveryCode(u, 0..9), without an audit entry.
func EnableMFA(t testing.TB, s *models.Store, u *models.User) {
	t.Helper()
	now := s.Now()
	err := s.DB().Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&models.MFASecret{UserID: u.ID, Secret: MFASecret, ConfirmedAt: &now, CreatedAt: now}).Error; err != nil {
			return err
		}
		for n := range models.RecoveryCodeCount {
			if err := tx.Create(&models.RecoveryCode{UserID: u.ID, CodeHash: models.HashRecoveryCode(RecoveryCode(u, n))}).Error; err != nil {
				return err
			}
		}
		return tx.Model(u).Update("mfa_enabled_at", now).Error
	})
	if err != nil {
		t.Fatalf("testdb: enable second factor: %v", err)
	}
	u.MFAEnabledAt = &now
}

// RecoveryCode is the n-th recovery code of a fixture user given a second
// factor by EnableMFA.
func RecoveryCode(u *models.User, n int) string { return fmt.Sprintf("FIX%d-%d", u.ID, n) }

// noMinimum turns the minimum reading time off for fixture readings, so tests
// can mark them complete at once; tests of the minimum set their own.
var noMinimum = 0

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
			Required: true, Published: true, MinMinutes: &noMinimum}
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
