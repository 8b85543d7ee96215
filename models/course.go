package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// Course is one certificate course.
type Course struct {
	ID           int64
	Slug         string
	Title        string
	Subtitle     string
	Description  string
	Provider     string
	ContactEmail string
	ContactURL   string
	ContactPhone string
	Published    bool
	// CertificatesOpen lets the course certify before every week has a
	// required reading (see CourseRules.Ready).
	CertificatesOpen bool
	CreatedAt        time.Time
	UpdatedAt        time.Time
	Weeks            []Week `gorm:"foreignKey:CourseID"`
}

// Week is one module of a course.
type Week struct {
	ID       int64
	CourseID int64
	Number   int
	Title    string
	Summary  string
	Readings []Reading `gorm:"foreignKey:WeekID"`
}

// ListCourses returns the published courses.
func (s *Store) ListCourses(ctx context.Context) ([]Course, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var courses []Course
	if err := db.Where("published = ?", true).Order("title").Find(&courses).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list courses: %w", err)
	}
	return courses, nil
}

// CourseBySlug loads a course without its weeks.
func (s *Store) CourseBySlug(ctx context.Context, slug string) (*Course, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var c Course
	if err := db.Where("slug = ?", slug).Take(&c).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// CourseOutline loads a course with its weeks and their published readings
// (all readings when includeDrafts) in three queries.
func (s *Store) CourseOutline(ctx context.Context, slug string, includeDrafts bool) (*Course, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var c Course
	err := db.Where("slug = ?", slug).
		Preload("Weeks", func(q *gormDB) *gormDB { return q.Order("number") }).
		Preload("Weeks.Readings", func(q *gormDB) *gormDB {
			q = q.Omit("body_markdown").Order("position, id")
			if !includeDrafts {
				q = q.Where("published = ?", true)
			}
			return q
		}).
		Take(&c).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// CourseByID loads a course without its weeks.
func (s *Store) CourseByID(ctx context.Context, id int64) (*Course, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var c Course
	if err := db.Take(&c, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// ConsoleCourse is one course on the console's overview, with its counts.
type ConsoleCourse struct {
	ID         int64
	Slug       string
	Title      string
	Published  bool
	Active     int
	Waitlisted int
	Completed  int
	Cohorts    int
	Readings   int
}

// ManagedCourses lists the courses a person may manage (every course for
// admins, the courses they teach for instructors) with their enrollment
// counts, in one query.
func (s *Store) ManagedCourses(ctx context.Context, u *User) ([]ConsoleCourse, error) {
	if !u.IsStaff() {
		return nil, nil
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	q := db.Table("courses c").Select(`c.id, c.slug, c.title, c.published,
  COALESCE(SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END), 0) AS active,
  COALESCE(SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END), 0) AS waitlisted,
  COALESCE(SUM(CASE WHEN e.status = ? THEN 1 ELSE 0 END), 0) AS completed,
  (SELECT COUNT(*) FROM cohorts k WHERE k.course_id = c.id) AS cohorts,
  (SELECT COUNT(*) FROM readings r WHERE r.course_id = c.id) AS readings`,
		StatusActive, StatusWaitlisted, StatusCompleted).
		Joins("LEFT JOIN enrollments e ON e.course_id = c.id").
		Group("c.id, c.slug, c.title, c.published").Order("c.title, c.id")
	if !u.IsAdmin() {
		q = q.Where("c.id IN (SELECT course_id FROM course_instructors WHERE user_id = ?)", u.ID)
	}
	var rows []ConsoleCourse
	if err := q.Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list managed courses: %w", err)
	}
	return rows, nil
}

// CourseDetails are the editable fields of a course.
type CourseDetails struct {
	Title        string
	Subtitle     string
	Description  string
	Provider     string
	ContactEmail string
	ContactURL   string
	ContactPhone string
	Published    bool
	// CertificatesOpen lets the course certify before every week has a
	// required reading.
	CertificatesOpen bool
}

// changes names the fields that differ, for the audit log.
func (d CourseDetails) changes(c *Course) []string {
	var changed []string
	for _, f := range []struct {
		name     string
		old, new string
	}{
		{"title", c.Title, d.Title}, {"subtitle", c.Subtitle, d.Subtitle}, {"description", c.Description, d.Description},
		{"provider", c.Provider, d.Provider}, {"contact_email", c.ContactEmail, d.ContactEmail},
		{"contact_url", c.ContactURL, d.ContactURL}, {"contact_phone", c.ContactPhone, d.ContactPhone},
	} {
		if f.old != f.new {
			changed = append(changed, f.name)
		}
	}
	if c.Published != d.Published {
		changed = append(changed, "published")
	}
	if c.CertificatesOpen != d.CertificatesOpen {
		changed = append(changed, "certificates_open")
	}
	return changed
}

// UpdateCourse saves a course's details and records who changed what. When
// the change lets the course certify, the enrollments that meet its rule
// complete in the same transaction.
func (s *Store) UpdateCourse(ctx context.Context, actorID int64, c *Course, d CourseDetails) error {
	// Certificates snapshot the subtitle and provider, and their signed
	// credentials need both.
	for _, f := range []struct {
		field, label, value string
		max                 int
	}{
		{"title", "The title", d.Title, 200}, {"subtitle", "The subtitle", d.Subtitle, 300}, {"provider", "The provider", d.Provider, 200},
	} {
		if err := validateText(f.field, f.label, f.value, true, f.max); err != nil {
			return err
		}
	}
	changed := d.changes(c)
	if len(changed) == 0 {
		return nil
	}
	now := s.clock.Now()
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockCourseForChange(tx, c.ID); err != nil {
			return err
		}
		res := tx.Model(&Course{}).Where("id = ?", c.ID).Updates(map[string]any{
			"title": d.Title, "subtitle": d.Subtitle, "description": d.Description, "provider": d.Provider,
			"contact_email": d.ContactEmail, "contact_url": d.ContactURL, "contact_phone": d.ContactPhone,
			"published": d.Published, "certificates_open": d.CertificatesOpen, "updated_at": now,
		})
		if res.Error != nil {
			return fmt.Errorf("store: unable to update course: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		if err := s.audit(tx, actorID, "course.update", courseTarget(c), "changed "+strings.Join(changed, ", ")); err != nil {
			return err
		}
		updated := *c
		updated.Title, updated.Subtitle, updated.Provider = d.Title, d.Subtitle, d.Provider
		_, err := s.completeEligible(tx, &updated)
		return err
	})
	if err != nil {
		return err
	}
	c.CertificatesOpen = d.CertificatesOpen
	c.Title, c.Subtitle, c.Description, c.Provider = d.Title, d.Subtitle, d.Description, d.Provider
	c.ContactEmail, c.ContactURL, c.ContactPhone, c.Published, c.UpdatedAt = d.ContactEmail, d.ContactURL, d.ContactPhone, d.Published, now
	return nil
}

// UpdateWeek saves the title and summary of week number of a course.
func (s *Store) UpdateWeek(ctx context.Context, actorID int64, c *Course, number int, title, summary string) error {
	if err := validateText("title", "The week's title", title, true, 200); err != nil {
		return err
	}
	if err := validateText("summary", "The summary", summary, false, 2000); err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Model(&Week{}).Where("course_id = ? AND number = ?", c.ID, number).
			Updates(map[string]any{"title": title, "summary": summary})
		if res.Error != nil {
			return fmt.Errorf("store: unable to update week: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrNotFound
		}
		return s.audit(tx, actorID, "week.update", fmt.Sprintf("week:%s/%d", c.Slug, number), "title “"+title+"”")
	})
}

// WeeksOf lists a course's weeks in order, without their readings.
func (s *Store) WeeksOf(ctx context.Context, courseID int64) ([]Week, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var weeks []Week
	if err := db.Where("course_id = ?", courseID).Order("number").Find(&weeks).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list weeks: %w", err)
	}
	return weeks, nil
}

// CourseRef names a course.
type CourseRef struct {
	ID    int64
	Slug  string
	Title string
}

// AllCourses lists every course, published or not, by title.
func (s *Store) AllCourses(ctx context.Context) ([]CourseRef, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var rows []CourseRef
	if err := db.Model(&Course{}).Select("id, slug, title").Order("title, id").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list courses: %w", err)
	}
	return rows, nil
}
