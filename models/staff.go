package models

import (
	"context"
	"fmt"
)

// ManagedCourse reads a course by its slug and whether u may manage it
// (CanManageCourse), in one statement: every console page about a course
// asks both. The course is ErrNotFound when there is none.
func (s *Store) ManagedCourse(ctx context.Context, u *User, slug string) (*Course, bool, error) {
	if u == nil || (!u.IsAdmin() && u.Role != RoleInstructor) {
		c, err := s.CourseBySlug(ctx, slug)
		return c, false, err
	}
	var c Course
	var teaches bool
	err := s.readRow(ctx, "course", managedCourseQuery, []any{u.ID, slug}, &c.ID, &c.Slug, &c.Title, &c.Subtitle,
		&c.Description, &c.Provider, &c.ContactEmail, &c.ContactURL, &c.ContactPhone, &c.Published, &c.CertificatesOpen,
		&c.CreatedAt, &c.UpdatedAt, &teaches)
	if err != nil {
		return nil, false, err
	}
	return &c, u.IsAdmin() || teaches, nil
}

const managedCourseQuery = `SELECT c.id, c.slug, c.title, c.subtitle, c.description, c.provider, c.contact_email,
  c.contact_url, c.contact_phone, c.published, c.certificates_open, c.created_at, c.updated_at,
  EXISTS (SELECT 1 FROM course_instructors ci WHERE ci.course_id = c.id AND ci.user_id = ?) AS teaches
FROM courses c WHERE c.slug = ? LIMIT 1`

// CanManageCourse reports whether a user may manage a course: admins manage
// every course, instructors those they teach.
func (s *Store) CanManageCourse(ctx context.Context, u *User, courseID int64) (bool, error) {
	switch {
	case u == nil:
		return false, nil
	case u.IsAdmin():
		return true, nil
	case u.Role != RoleInstructor:
		return false, nil
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	var n int64
	err := db.Table("course_instructors").Where("course_id = ? AND user_id = ?", courseID, u.ID).Count(&n).Error
	if err != nil {
		return false, fmt.Errorf("store: unable to check instructor: %w", err)
	}
	return n > 0, nil
}

// AssignInstructor makes a user teach a course.
func (s *Store) AssignInstructor(ctx context.Context, courseID, userID int64) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	err := db.Exec("INSERT INTO course_instructors (course_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING", courseID, userID).Error
	if err != nil {
		return fmt.Errorf("store: unable to assign instructor: %w", err)
	}
	return nil
}

// SetRole changes a user's role.
func (s *Store) SetRole(ctx context.Context, userID int64, role string) error {
	if role != RoleStudent && role != RoleInstructor && role != RoleAdmin {
		return Invalid("role", "Role must be student, instructor or admin.")
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	res := db.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"role": role, "updated_at": s.clock.Now()})
	if res.Error != nil {
		return fmt.Errorf("store: unable to set role: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrNotFound
	}
	return nil
}

// CountAdmins tells how many administrators exist.
func (s *Store) CountAdmins(ctx context.Context) (int64, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var n int64
	if err := db.Model(&User{}).Where("role = ?", RoleAdmin).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count admins: %w", err)
	}
	return n, nil
}
