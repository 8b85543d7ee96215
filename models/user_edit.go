package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// UserRoles are the roles in the order the console offers them.
var UserRoles = []string{RoleStudent, RoleInstructor, RoleAdmin}

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
