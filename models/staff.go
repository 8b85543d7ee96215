package models

import (
	"context"
	"fmt"
)

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

// ManagedCourseBySlug loads the course named slug and reports whether u
// manages it, as CanManageCourse does, in one statement: the console's
// course pages read both on every request.
func (s *Store) ManagedCourseBySlug(ctx context.Context, u *User, slug string) (*Course, bool, error) {
	var instructor int64 // an instructor's id; 0 matches no one
	if u != nil && u.Role == RoleInstructor {
		instructor = u.ID
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	var row struct {
		Course
		Teaches bool
	}
	err := db.Raw(`SELECT c.*, EXISTS (SELECT 1 FROM course_instructors ci WHERE ci.course_id = c.id AND ci.user_id = ?) AS teaches
FROM courses c WHERE c.slug = ? LIMIT 1`, instructor, slug).Scan(&row).Error
	if err != nil {
		return nil, false, fmt.Errorf("store: unable to load course: %w", err)
	}
	if row.ID == 0 {
		return nil, false, ErrNotFound
	}
	manages := u != nil && (u.IsAdmin() || instructor != 0 && row.Teaches)
	return &row.Course, manages, nil
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
