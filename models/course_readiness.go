package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// CourseRules is what a course asks of a person before it certifies them,
// and whether it certifies at all yet.
type CourseRules struct {
	// CertificatesOpen is set by staff to certify before every week has a
	// required reading.
	CertificatesOpen bool
	// Weeks counts the course's weeks; WeeksCovered those with at least one
	// required published reading.
	Weeks, WeeksCovered int
	// Required counts the required published readings; Checks those of them
	// with a knowledge check, whose pass marks range from MinPass to MaxPass.
	Required, Checks int
	MinPass, MaxPass *int
}

// Ready reports whether the course issues certificates: every week has a
// required published reading, or staff opened certificates.
func (r *CourseRules) Ready() bool {
	return r.CertificatesOpen || (r.Weeks > 0 && r.WeeksCovered == r.Weeks)
}

// Criteria states the rule a person met, as a certificate prints it.
func (r *CourseRules) Criteria() string {
	text := "Read every required reading of the " + weeksWord(r.Weeks)
	if r.WeeksCovered < r.Weeks {
		text = fmt.Sprintf("Read every required reading published so far (%d %s, in %d of the %s; the course staff opened certificates before the full course was published)",
			r.Required, plural(r.Required, "reading", "readings"), r.WeeksCovered, weeksWord(r.Weeks))
	}
	if r.Checks == 0 || r.MinPass == nil || r.MaxPass == nil {
		return text + "."
	}
	switch {
	case r.Checks == 1 && r.Required == 1:
		text += " and passed its knowledge check"
	case r.Checks == r.Required:
		text += " and passed each knowledge check"
	default:
		text += fmt.Sprintf(" and passed the knowledge checks of the %d of them that have one", r.Checks)
	}
	if *r.MinPass == *r.MaxPass {
		return text + fmt.Sprintf(" with at least %d %%.", *r.MinPass)
	}
	return text + fmt.Sprintf(" with at least its pass mark (%d %% to %d %%).", *r.MinPass, *r.MaxPass)
}

var numberWords = []string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}

func weeksWord(n int) string {
	if n == 1 {
		return "one week"
	}
	if n > 0 && n < len(numberWords) {
		return numberWords[n] + " weeks"
	}
	return strconv.Itoa(n) + " weeks"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// CertifiesNow applies the rule of CourseRules.Ready to a course loaded with
// its weeks and their published readings, without asking the database.
func (c *Course) CertifiesNow() bool {
	if c.CertificatesOpen {
		return true
	}
	for _, w := range c.Weeks {
		if !slices.ContainsFunc(w.Readings, func(r Reading) bool { return r.Required && r.Published }) {
			return false
		}
	}
	return len(c.Weeks) > 0
}

const courseRulesQuery = `SELECT c.certificates_open,
  (SELECT COUNT(*) FROM weeks w WHERE w.course_id = c.id) AS weeks,
  (SELECT COUNT(DISTINCT r.week_id) FROM readings r
     WHERE r.course_id = c.id AND r.required = ? AND r.published = ?) AS weeks_covered,
  (SELECT COUNT(*) FROM readings r WHERE r.course_id = c.id AND r.required = ? AND r.published = ?) AS required,
  (SELECT COUNT(*) FROM readings r JOIN checks k ON k.reading_id = r.id
     WHERE r.course_id = c.id AND r.required = ? AND r.published = ?) AS checks,
  (SELECT MIN(k.pass_percent) FROM readings r JOIN checks k ON k.reading_id = r.id
     WHERE r.course_id = c.id AND r.required = ? AND r.published = ?) AS min_pass,
  (SELECT MAX(k.pass_percent) FROM readings r JOIN checks k ON k.reading_id = r.id
     WHERE r.course_id = c.id AND r.required = ? AND r.published = ?) AS max_pass
FROM courses c WHERE c.id = ?`

// courseRules reads a course's rules in one statement.
func courseRules(db *gorm.DB, courseID int64) (*CourseRules, error) {
	var r CourseRules
	res := db.Raw(courseRulesQuery, true, true, true, true, true, true, true, true, true, true, courseID).Scan(&r)
	if res.Error != nil {
		return nil, fmt.Errorf("store: unable to read the course's rules: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return nil, ErrNotFound
	}
	return &r, nil
}

// CourseRulesOf reads a course's certification rules.
func (s *Store) CourseRulesOf(ctx context.Context, courseID int64) (*CourseRules, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	return courseRules(db, courseID)
}

// lockCourseShared is the first statement of every transaction that may
// complete an enrollment. On PostgreSQL it holds the course row against
// changes to the course's rules (see lockCourseForChange), so a completion
// and a course becoming ready cannot miss each other; the lock order
// course → enrollment is the same everywhere. SQLite's immediate
// transactions already run one at a time.
func (s *Store) lockCourseShared(tx *gorm.DB, courseID int64) error {
	if s.dialect != Postgres {
		return nil
	}
	if err := tx.Exec("SELECT id FROM courses WHERE id = ? FOR SHARE", courseID).Error; err != nil {
		return fmt.Errorf("store: unable to lock course: %w", err)
	}
	return nil
}

// lockCourseForChange is the first statement of a transaction that may make
// a course ready (see lockCourseShared).
func (s *Store) lockCourseForChange(tx *gorm.DB, courseID int64) error {
	if s.dialect != Postgres {
		return nil
	}
	if err := tx.Exec("SELECT id FROM courses WHERE id = ? FOR UPDATE", courseID).Error; err != nil {
		return fmt.Errorf("store: unable to lock course: %w", err)
	}
	return nil
}

// completeEligible completes, once each, every active enrollment of a ready
// course that has nothing required left, and issues their certificates. It
// runs in the transaction that may have made the course ready, after
// lockCourseForChange, and returns how many it completed.
func (s *Store) completeEligible(tx *gorm.DB, c *Course) (int, error) {
	rules, err := courseRules(tx, c.ID)
	if err != nil {
		return 0, err
	}
	if !rules.Ready() || rules.Required == 0 {
		return 0, nil
	}
	var enrollments []Enrollment
	err = tx.Raw(`SELECT e.* FROM enrollments e WHERE e.course_id = ? AND e.status = ?
  AND NOT EXISTS (SELECT 1 FROM readings r WHERE r.course_id = e.course_id AND r.required = ? AND r.published = ?
    AND NOT EXISTS (SELECT 1 FROM reading_progress p
                    WHERE p.reading_id = r.id AND p.enrollment_id = e.id AND p.completed_at IS NOT NULL))
ORDER BY e.id`, c.ID, StatusActive, true, true).Scan(&enrollments).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to find enrollments to complete: %w", err)
	}
	now, criteria, done := s.clock.Now(), rules.Criteria(), 0
	for i := range enrollments {
		code, err := s.completeEnrollment(tx, &Access{Course: c, Enrollment: &enrollments[i]}, now, criteria)
		if err != nil {
			return done, err
		}
		if code != "" {
			done++
		}
	}
	return done, nil
}

// OpenCertificates lets a course certify before every week has a required
// reading (the course field certificates_open), and completes at once the
// enrollments that meet the rule. actorID 0 is the operator's command line.
func (s *Store) OpenCertificates(ctx context.Context, actorID int64, c *Course) (int, error) {
	return s.setCertificatesOpen(ctx, actorID, c, true)
}

func (s *Store) setCertificatesOpen(ctx context.Context, actorID int64, c *Course, open bool) (int, error) {
	completed := 0
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockCourseForChange(tx, c.ID); err != nil {
			return err
		}
		now := s.clock.Now()
		res := tx.Model(&Course{}).Where("id = ? AND certificates_open <> ?", c.ID, open).
			Updates(map[string]any{"certificates_open": open, "updated_at": now})
		if res.Error != nil {
			return fmt.Errorf("store: unable to update course: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		var err error
		if completed, err = s.completeEligible(tx, c); err != nil {
			return err
		}
		action := "course.certificates_close"
		if open {
			action = "course.certificates_open"
		}
		return s.audit(tx, actorID, action, courseTarget(c), fmt.Sprintf("%d enrollments completed", completed))
	})
	if err == nil {
		c.CertificatesOpen = open
	}
	return completed, err
}

// completeEnrollment completes an active enrollment and issues its
// certificate, exactly once: the conditional update makes a second caller a
// no-op. It returns the new certificate's code, empty when nothing changed.
func (s *Store) completeEnrollment(tx *gorm.DB, a *Access, now time.Time, criteria string) (string, error) {
	res := tx.Model(&Enrollment{}).Where("id = ? AND status = ?", a.Enrollment.ID, StatusActive).
		Updates(map[string]any{"status": StatusCompleted, "completed_at": now})
	if res.Error != nil {
		return "", fmt.Errorf("store: unable to complete enrollment: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return "", nil
	}
	a.Enrollment.Status, a.Enrollment.CompletedAt = StatusCompleted, &now
	cert, err := s.issueCertificate(tx, a, now, criteria)
	if err != nil {
		return "", err
	}
	s.afterCommit(tx, Events.CourseCompleted)
	return cert.Code, nil
}
