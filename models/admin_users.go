package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// UserRoles are the roles in the order the console offers them.
var UserRoles = []string{RoleStudent, RoleInstructor, RoleAdmin}

// UserSearch is a query of the people list.
type UserSearch struct {
	// Query matches part of a name or an email address, ignoring case.
	Query string
	// Role keeps one role; empty keeps all.
	Role    string
	Page    int
	PerPage int
}

// ConsoleUser is one person in the people list, with the courses they teach.
type ConsoleUser struct {
	User
	Teaches []CourseRef
}

// CourseRef names a course.
type CourseRef struct {
	ID    int64
	Slug  string
	Title string
}

// UserList is one page of people.
type UserList struct {
	Users []ConsoleUser
	Total int64
}

// likePattern escapes LIKE's wildcards so user text matches literally.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(q)) + "%"
}

// SearchUsers lists people matching a search, by name, a page at a time,
// with the courses of the instructors among them (two queries in all, plus
// the count).
func (s *Store) SearchUsers(ctx context.Context, f UserSearch) (*UserList, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	q := db.Model(&User{})
	if f.Query = strings.TrimSpace(f.Query); f.Query != "" {
		p := likePattern(f.Query)
		q = q.Where(`(lower(full_name) LIKE ? ESCAPE '\' OR lower(email) LIKE ? ESCAPE '\')`, p, p)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	list := &UserList{}
	if err := q.Session(&gorm.Session{}).Count(&list.Total).Error; err != nil {
		return nil, fmt.Errorf("store: unable to count users: %w", err)
	}
	var users []User
	err := q.Order("lower(full_name), id").Limit(f.PerPage).Offset(max(0, f.Page-1) * f.PerPage).Find(&users).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to search users: %w", err)
	}
	ids := make([]int64, len(users))
	for i := range users {
		ids[i] = users[i].ID
	}
	teaches, err := s.coursesTaught(db, ids)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		list.Users = append(list.Users, ConsoleUser{User: u, Teaches: teaches[u.ID]})
	}
	return list, nil
}

// coursesTaught maps each of the users to the courses they are assigned to.
func (s *Store) coursesTaught(db *gorm.DB, userIDs []int64) (map[int64][]CourseRef, error) {
	out := map[int64][]CourseRef{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID int64
		CourseRef
	}
	err := db.Table("course_instructors ci").Select("ci.user_id, c.id, c.slug, c.title").
		Joins("JOIN courses c ON c.id = ci.course_id").Where("ci.user_id IN ?", userIDs).
		Order("c.title").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list assignments: %w", err)
	}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.CourseRef)
	}
	return out, nil
}

// UserDetail is one person as the people page shows them.
type UserDetail struct {
	User        *User
	Teaches     []CourseRef
	Enrollments []EnrollmentSummary
	Sessions    int64
}

// UserDetailByID loads a person with their courses and live sessions.
func (s *Store) UserDetailByID(ctx context.Context, id int64) (*UserDetail, error) {
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &UserDetail{User: u}
	db, cancel := s.conn(ctx)
	defer cancel()
	teaches, err := s.coursesTaught(db, []int64{id})
	if err != nil {
		return nil, err
	}
	d.Teaches = teaches[id]
	if d.Enrollments, err = s.EnrollmentsOf(ctx, id); err != nil {
		return nil, err
	}
	err = db.Model(&Session{}).Where("user_id = ? AND expires_at > ?", id, s.clock.Now()).Count(&d.Sessions).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to count sessions: %w", err)
	}
	return d, nil
}

// ChangeRole gives a person another role. Admins cannot demote themselves,
// so at least one administrator always remains.
func (s *Store) ChangeRole(ctx context.Context, actor *User, userID int64, role string) error {
	if actor.ID == userID && role != RoleAdmin {
		return ErrDemoteSelf
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			return notFound(err)
		}
		if u.Role == role {
			return nil
		}
		if err := s.within(tx).SetRole(ctx, userID, role); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "user.role", userTarget(&u), u.Role+" → "+role)
	})
}

// SetDisabled disables or enables an account. Disabling ends every session
// of the account in the same transaction, so it is signed out at once.
func (s *Store) SetDisabled(ctx context.Context, actor *User, userID int64, disabled bool) error {
	if actor.ID == userID && disabled {
		return ErrDisableSelf
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			return notFound(err)
		}
		if (u.DisabledAt != nil) == disabled {
			return nil
		}
		var at *time.Time
		action := "user.enable"
		if disabled {
			now := s.clock.Now()
			at, action = &now, "user.disable"
		}
		err := tx.Model(&User{}).Where("id = ?", userID).Updates(map[string]any{"disabled_at": at, "updated_at": s.clock.Now()}).Error
		if err != nil {
			return fmt.Errorf("store: unable to update account: %w", err)
		}
		detail := ""
		if disabled {
			if err := s.within(tx).DeleteUserSessions(ctx, userID); err != nil {
				return err
			}
			detail = "sessions ended"
		}
		return s.audit(tx, actor.ID, action, userTarget(&u), detail)
	})
}

// AssignCourse makes an instructor teach a course.
func (s *Store) AssignCourse(ctx context.Context, actorID, userID int64, c *Course) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			return notFound(err)
		}
		if u.Role != RoleInstructor {
			return Invalid("course", "Only instructors teach courses: make "+u.FullName+" an instructor first.")
		}
		if err := s.within(tx).AssignInstructor(ctx, c.ID, userID); err != nil {
			return err
		}
		return s.audit(tx, actorID, "instructor.assign", userTarget(&u), courseTarget(c))
	})
}

// UnassignCourse stops an instructor teaching a course.
func (s *Store) UnassignCourse(ctx context.Context, actorID, userID int64, c *Course) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			return notFound(err)
		}
		res := tx.Exec("DELETE FROM course_instructors WHERE course_id = ? AND user_id = ?", c.ID, userID)
		if res.Error != nil {
			return fmt.Errorf("store: unable to unassign instructor: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return nil
		}
		return s.audit(tx, actorID, "instructor.unassign", userTarget(&u), courseTarget(c))
	})
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
