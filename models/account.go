package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// UpdateProfile changes the name the person goes by. Certificates already
// issued keep the name they were issued with.
func (s *Store) UpdateProfile(ctx context.Context, u *User, fullName string) error {
	fullName = strings.Join(strings.Fields(fullName), " ")
	if err := ValidateName(fullName); err != nil {
		return err
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	err := db.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"full_name": fullName, "updated_at": s.clock.Now()}).Error
	if err != nil {
		return fmt.Errorf("store: unable to save name: %w", err)
	}
	u.FullName = fullName
	return nil
}

// ChangePassword sets a new password chosen on the account page (the
// caller checked the current one), ends every session of the account, and
// tells the person by mail. The caller signs the browser in again.
func (s *Store) ChangePassword(ctx context.Context, u *User, password string) error {
	if err := ValidatePassword(password, u.Email, u.FullName); err != nil {
		return err
	}
	hash, err := HashPassword(ctx, password)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.setPassword(tx, u, hash); err != nil {
			return err
		}
		return s.queuePasswordChangedNotice(tx, u)
	})
}

// SetReminderPreference turns the person's reminder emails off or on from
// their account page.
func (s *Store) SetReminderPreference(ctx context.Context, u *User, optOut bool) error {
	if err := s.tx(ctx, func(tx *gorm.DB) error {
		return s.saveRemindersOptOut(tx, u, optOut, "on the account page")
	}); err != nil {
		return err
	}
	u.RemindersOptOut = optOut
	return nil
}

// UserSessions lists the account's live sessions, most recently used first.
func (s *Store) UserSessions(ctx context.Context, userID int64) ([]Session, error) {
	now := s.clock.Now()
	db, cancel := s.conn(ctx)
	defer cancel()
	var rows []Session
	err := db.Where("user_id = ? AND expires_at > ? AND last_seen_at > ?", userID, now, now.Add(-SessionIdle)).
		Order("last_seen_at DESC").Limit(100).Find(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list sessions: %w", err)
	}
	return rows, nil
}

// SessionIDOf is the stored key of a client's session token, to tell the
// current session apart in a list.
func SessionIDOf(token string) string { return sessionID(token) }

// EndOtherSessions signs the account out everywhere but the session of
// keepToken, and returns how many sessions ended.
func (s *Store) EndOtherSessions(ctx context.Context, userID int64, keepToken string) (int64, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	res := db.Where("user_id = ? AND id <> ?", userID, sessionID(keepToken)).Delete(&Session{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: unable to end sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}
