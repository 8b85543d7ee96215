package models

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// resetLink is the address of a password reset link.
func resetLink(baseURL, secret string) string { return baseURL + "/password/reset/" + secret }

// RequestPasswordReset mails a reset link when the address belongs to an
// account that can sign in, and does nothing otherwise: the caller answers
// the same either way. Rate limits are the caller's, since they must apply
// whether or not the account exists.
func (s *Store) RequestPasswordReset(ctx context.Context, email, baseURL string) error {
	u, err := s.UserByEmail(ctx, email)
	if errors.Is(err, ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if u.DisabledAt != nil || u.ErasedAt != nil {
		return nil
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		secret, err := s.issueToken(tx, u.ID, TokenPasswordReset, u.Email)
		if err != nil {
			return err
		}
		return s.queueResetMail(tx, u, resetLink(baseURL, secret))
	})
}

// SendPasswordReset is an administrator mailing a reset link to a person
// from the console; it is recorded in the audit log.
func (s *Store) SendPasswordReset(ctx context.Context, actor *User, userID int64, baseURL string) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		var u User
		if err := tx.Take(&u, userID).Error; err != nil {
			return notFound(err)
		}
		if u.DisabledAt != nil || u.ErasedAt != nil {
			return Invalid("form", "This account is disabled: enable it before sending a reset link.")
		}
		secret, err := s.issueToken(tx, u.ID, TokenPasswordReset, u.Email)
		if err != nil {
			return err
		}
		if err := s.queueResetMail(tx, &u, resetLink(baseURL, secret)); err != nil {
			return err
		}
		return s.audit(tx, actor.ID, "user.reset_link", userTarget(&u), "mailed to the person")
	})
}

// CreateResetLink makes a reset link for an operator without mail, who
// hands it over themselves. The link replaces earlier ones and the audit
// log records it, without an actor: it came from the command line.
func (s *Store) CreateResetLink(ctx context.Context, email, baseURL string) (string, error) {
	u, err := s.UserByEmail(ctx, email)
	if err != nil {
		return "", err
	}
	if u.DisabledAt != nil || u.ErasedAt != nil {
		return "", ErrAccountDisabled
	}
	var link string
	err = s.tx(ctx, func(tx *gorm.DB) error {
		secret, err := s.issueToken(tx, u.ID, TokenPasswordReset, u.Email)
		if err != nil {
			return err
		}
		link = resetLink(baseURL, secret)
		entry := AuditEntry{Action: "user.reset_link", Target: userTarget(u), Detail: "created on the command line",
			CreatedAt: s.clock.Now()}
		if err := tx.Create(&entry).Error; err != nil {
			return fmt.Errorf("store: unable to write audit log: %w", err)
		}
		return nil
	})
	return link, err
}

// PasswordResetAccount is the account a live reset link belongs to, for the
// form that chooses the new password; it does not use the link.
func (s *Store) PasswordResetAccount(ctx context.Context, secret string) (*User, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	t, err := s.liveToken(db, secret, TokenPasswordReset)
	if err != nil {
		return nil, err
	}
	var u User
	if err := db.Take(&u, t.UserID).Error; err != nil {
		return nil, notFound(err)
	}
	if u.DisabledAt != nil {
		return nil, ErrTokenInvalid
	}
	return &u, nil
}

// ResetPassword uses a reset link: it sets the new password and ends every
// session of the account (they live in the database, so on every instance)
// in one transaction. The link works once. Since the link came by mail, the
// address counts as confirmed.
func (s *Store) ResetPassword(ctx context.Context, secret, password string) (*User, error) {
	holder, err := s.PasswordResetAccount(ctx, secret)
	if err != nil {
		return nil, err // before spending a hash on a dead link
	}
	if err := ValidatePassword(password, holder.Email, holder.FullName); err != nil {
		return nil, err
	}
	hash, err := HashPassword(ctx, password)
	if err != nil {
		return nil, err
	}
	var u User
	err = s.tx(ctx, func(tx *gorm.DB) error {
		t, err := s.consumeToken(tx, secret, TokenPasswordReset)
		if err != nil {
			return err
		}
		if err := tx.Take(&u, t.UserID).Error; err != nil {
			return fmt.Errorf("store: unable to load account: %w", err)
		}
		if u.DisabledAt != nil {
			return ErrTokenInvalid
		}
		if err := s.setPassword(tx, &u, hash); err != nil {
			return err
		}
		if u.Email == t.Email {
			if err := s.markVerified(tx, &u); err != nil {
				return err
			}
		}
		return s.audit(tx, u.ID, "account.password_reset", "user:"+strconv.FormatInt(u.ID, 10), "with a mailed link; all sessions ended")
	})
	if err != nil {
		return nil, err
	}
	// A reset is how a locked-out person gets back in.
	if err := s.ForgetLoginFailures(ctx, u.Email); err != nil {
		return nil, err
	}
	return &u, nil
}

// setPassword stores a new hash and ends every session of the account and
// every reset link still out.
func (s *Store) setPassword(tx *gorm.DB, u *User, hash string) error {
	err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"password_hash": hash, "updated_at": s.clock.Now()}).Error
	if err != nil {
		return fmt.Errorf("store: unable to set password: %w", err)
	}
	if err := tx.Where("user_id = ?", u.ID).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("store: unable to end sessions: %w", err)
	}
	if err := tx.Where("user_id = ? AND purpose = ?", u.ID, TokenPasswordReset).Delete(&AccountToken{}).Error; err != nil {
		return fmt.Errorf("store: unable to end reset links: %w", err)
	}
	return nil
}
