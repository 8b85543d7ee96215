package models

import (
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Purposes of account tokens, the single-use links the portal mails.
const (
	TokenVerifyEmail   = "verify_email"
	TokenPasswordReset = "password_reset"
	TokenEmailChange   = "email_change"
)

// Lifetimes of the links: a reset link is short-lived because it gives the
// account away; a confirmation link may wait in an inbox for a while.
const (
	PasswordResetLifetime = time.Hour
	VerifyEmailLifetime   = 7 * 24 * time.Hour
	EmailChangeLifetime   = 24 * time.Hour
)

// maxTokenLength bounds a token read from a URL before it is hashed: ours
// are 43 characters.
const maxTokenLength = 64

// ErrTokenInvalid is a link that is unknown, used, replaced by a newer one
// or expired. The four are one error: a link's history is nobody's business.
var ErrTokenInvalid = errors.New("this link is no longer valid")

// AccountToken is a single-use link sent by email. Its ID is the SHA-256 of
// the 256-bit token in the link, so the table never holds a usable link.
// Issuing a token removes the user's earlier ones of the same purpose (only
// the newest works); using one deletes it.
type AccountToken struct {
	ID      string
	UserID  int64
	Purpose string
	// Email is the address the link was sent to: for a change of address,
	// the new one.
	Email     string
	CreatedAt time.Time
	ExpiresAt time.Time
}

func tokenLifetime(purpose string) time.Duration {
	switch purpose {
	case TokenPasswordReset:
		return PasswordResetLifetime
	case TokenEmailChange:
		return EmailChangeLifetime
	}
	return VerifyEmailLifetime
}

// issueToken stores a new token for the user, replacing any earlier one of
// the same purpose, and returns the secret for the link.
func (s *Store) issueToken(tx *gorm.DB, userID int64, purpose, email string) (string, error) {
	secret, err := NewToken()
	if err != nil {
		return "", err
	}
	now := s.clock.Now()
	// The earlier links of this purpose stop working; expired links of
	// anyone go too, which keeps the table small.
	err = tx.Where("(user_id = ? AND purpose = ?) OR expires_at <= ?", userID, purpose, now).Delete(&AccountToken{}).Error
	if err != nil {
		return "", fmt.Errorf("store: unable to replace account token: %w", err)
	}
	t := AccountToken{ID: sessionID(secret), UserID: userID, Purpose: purpose, Email: email,
		CreatedAt: now, ExpiresAt: now.Add(tokenLifetime(purpose))}
	if err := tx.Create(&t).Error; err != nil {
		return "", fmt.Errorf("store: unable to save account token: %w", err)
	}
	return secret, nil
}

// liveToken finds an unexpired token of one of the purposes.
func (s *Store) liveToken(db *gorm.DB, secret string, purposes ...string) (*AccountToken, error) {
	if secret == "" || len(secret) > maxTokenLength {
		return nil, ErrTokenInvalid
	}
	var t AccountToken
	err := db.Where("id = ? AND purpose IN ? AND expires_at > ?", sessionID(secret), purposes, s.clock.Now()).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, ErrTokenInvalid
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read account token: %w", err)
	}
	return &t, nil
}

// consumeToken deletes a live token inside tx and returns it. Two requests
// racing with one link cannot both win: only one deletes the row.
func (s *Store) consumeToken(tx *gorm.DB, secret string, purposes ...string) (*AccountToken, error) {
	t, err := s.liveToken(tx, secret, purposes...)
	if err != nil {
		return nil, err
	}
	res := tx.Where("id = ?", t.ID).Delete(&AccountToken{})
	if res.Error != nil {
		return nil, fmt.Errorf("store: unable to use account token: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return nil, ErrTokenInvalid
	}
	return t, nil
}
