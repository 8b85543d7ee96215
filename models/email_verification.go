package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// verifyLink is the address of a confirmation link.
func verifyLink(baseURL, secret string) string { return baseURL + "/verify-email/" + secret }

// Register creates an account from the sign-up or join form and, in the
// same transaction, queues the welcome mail with the link that confirms the
// address. The person is not kept waiting: they can use the portal at once.
func (s *Store) Register(ctx context.Context, a NewAccount, baseURL string) (*User, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(ctx, a.Password)
	if err != nil {
		return nil, err
	}
	var user *User
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if user, err = s.insertUser(ctx, tx, a, hash); err != nil {
			return err
		}
		secret, err := s.issueToken(tx, user.ID, TokenVerifyEmail, user.Email)
		if err != nil {
			return err
		}
		return s.queueWelcomeMail(tx, user, verifyLink(baseURL, secret))
	})
	if err != nil {
		return nil, err
	}
	return user, nil
}

// ResendVerification mails a new confirmation link, which replaces the
// earlier ones. It returns how long to wait when the person asked too often.
func (s *Store) ResendVerification(ctx context.Context, u *User, baseURL string) (time.Duration, error) {
	if u.Verified() {
		return 0, nil
	}
	wait, err := s.TakeRate(ctx, RateCheck{Bucket: fmt.Sprintf("verify:user:%d", u.ID), Limit: VerificationResends})
	if err != nil || wait > 0 {
		return wait, err
	}
	return 0, s.tx(ctx, func(tx *gorm.DB) error {
		secret, err := s.issueToken(tx, u.ID, TokenVerifyEmail, u.Email)
		if err != nil {
			return err
		}
		return s.queueVerificationMail(tx, u, verifyLink(baseURL, secret))
	})
}

// EmailConfirmation is what opening a confirmation link did.
type EmailConfirmation struct {
	User *User
	// Changed is true when the link confirmed a new address, which now
	// replaces the old one.
	Changed bool
}

// ConfirmEmail uses a link mailed to an address: the welcome or resent link
// marks the current address confirmed; a change-of-address link makes the
// new address the account's, confirmed, and tells the old address.
func (s *Store) ConfirmEmail(ctx context.Context, secret string) (*EmailConfirmation, error) {
	var out EmailConfirmation
	err := s.tx(ctx, func(tx *gorm.DB) error {
		t, err := s.consumeToken(tx, secret, TokenVerifyEmail, TokenEmailChange)
		if err != nil {
			return err
		}
		var u User
		if err := tx.Take(&u, t.UserID).Error; err != nil {
			return fmt.Errorf("store: unable to load account: %w", err)
		}
		if u.DisabledAt != nil {
			return ErrTokenInvalid
		}
		out.User, out.Changed = &u, t.Purpose == TokenEmailChange
		if t.Purpose == TokenEmailChange {
			return s.changeEmail(tx, &u, t.Email)
		}
		if u.Email != t.Email {
			// Sent to an address the account no longer has.
			return ErrTokenInvalid
		}
		return s.markVerified(tx, &u)
	})
	if err != nil {
		return nil, err
	}
	return &out, nil
}

// markVerified records that the person holds their current address.
func (s *Store) markVerified(tx *gorm.DB, u *User) error {
	if u.EmailVerifiedAt != nil {
		return nil
	}
	now := s.clock.Now()
	err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{"email_verified_at": now, "updated_at": now}).Error
	if err != nil {
		return fmt.Errorf("store: unable to confirm email address: %w", err)
	}
	u.EmailVerifiedAt = &now
	return nil
}

// RequestEmailChange mails a confirmation link to a new address; the
// account keeps its address until the link is opened. The caller has
// checked the person's current password. It returns how long to wait when
// the person asked too often.
func (s *Store) RequestEmailChange(ctx context.Context, u *User, newEmail, baseURL string) (time.Duration, error) {
	newEmail = NormalizeEmail(newEmail)
	if err := ValidateNewEmail(u, newEmail); err != nil {
		return 0, err
	}
	if _, err := s.UserByEmail(ctx, newEmail); err == nil {
		return 0, ErrEmailTaken
	} else if !errors.Is(err, ErrNotFound) {
		return 0, err
	}
	wait, err := s.TakeRate(ctx, RateCheck{Bucket: fmt.Sprintf("email-change:user:%d", u.ID), Limit: EmailChanges})
	if err != nil || wait > 0 {
		return wait, err
	}
	return 0, s.tx(ctx, func(tx *gorm.DB) error {
		secret, err := s.issueToken(tx, u.ID, TokenEmailChange, newEmail)
		if err != nil {
			return err
		}
		return s.queueEmailChangeMail(tx, u, newEmail, verifyLink(baseURL, secret))
	})
}

// ValidateNewEmail checks an address (normalised) the person wants to move
// their account to, before anything is asked of the database.
func ValidateNewEmail(u *User, newEmail string) error {
	if err := ValidateEmail(newEmail); err != nil {
		return err
	}
	if newEmail == u.Email {
		return Invalid("email", "This is already your email address.")
	}
	return nil
}

// PendingEmailChange is the new address waiting for confirmation, or "".
func (s *Store) PendingEmailChange(ctx context.Context, userID int64) (string, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var emails []string
	err := db.Model(&AccountToken{}).Where("user_id = ? AND purpose = ? AND expires_at > ?", userID, TokenEmailChange, s.clock.Now()).
		Limit(1).Pluck("email", &emails).Error
	if err != nil {
		return "", fmt.Errorf("store: unable to read pending email change: %w", err)
	}
	if len(emails) == 0 {
		return "", nil
	}
	return emails[0], nil
}

// changeEmail gives the account its new, confirmed address, ends the links
// sent to the old one, tells the old address, and records it.
func (s *Store) changeEmail(tx *gorm.DB, u *User, newEmail string) error {
	old, now := u.Email, s.clock.Now()
	err := tx.Model(&User{}).Where("id = ?", u.ID).
		Updates(map[string]any{"email": newEmail, "email_verified_at": now, "updated_at": now}).Error
	if isUniqueViolation(err) {
		return ErrEmailTaken
	}
	if err != nil {
		return fmt.Errorf("store: unable to change email address: %w", err)
	}
	if err := tx.Where("user_id = ?", u.ID).Delete(&AccountToken{}).Error; err != nil {
		return fmt.Errorf("store: unable to end old links: %w", err)
	}
	u.Email, u.EmailVerifiedAt = newEmail, &now
	if err := s.queueEmailChangedNotice(tx, u, old, newEmail); err != nil {
		return err
	}
	return s.audit(tx, u.ID, "account.email_change", fmt.Sprintf("user:%d", u.ID), "confirmed from the new address")
}
