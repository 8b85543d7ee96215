package models

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// unsubscribePurpose names the signing_keys row holding the HMAC secret of
// unsubscribe links. The secret lives in the database, so every instance
// makes and accepts the same links and they survive restarts.
const unsubscribePurpose = "unsubscribe"

// Unsubscribe tokens are version byte, user id (8 bytes) and a truncated
// HMAC-SHA256 (16 bytes, 128 bits: not guessable, not forgeable).
const (
	unsubscribeVersion = 1
	unsubscribeMACLen  = 16
	unsubscribeLen     = 1 + 8 + unsubscribeMACLen
)

// unsubscribeSecret returns the HMAC secret, creating it on first use.
// Instances racing to create it all end up with the winner's.
func (s *Store) unsubscribeSecret(db *gorm.DB) ([]byte, error) {
	secret, err := loadUnsubscribeSecret(db)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return secret, err
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("store: unable to generate unsubscribe secret: %w", err)
	}
	// private_pem holds the secret base64-encoded: the column is text, and
	// this row is not a PEM key like the credential key beside it.
	err = db.Exec(`INSERT INTO signing_keys (purpose, key_id, private_pem, created_at) VALUES (?, ?, ?, ?)
ON CONFLICT (purpose) DO NOTHING`, unsubscribePurpose, "hmac-sha256-v1", base64.StdEncoding.EncodeToString(fresh), s.clock.Now()).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to save unsubscribe secret: %w", err)
	}
	return loadUnsubscribeSecret(db)
}

func loadUnsubscribeSecret(db *gorm.DB) ([]byte, error) {
	var k SigningKey
	if err := db.Where("purpose = ?", unsubscribePurpose).Take(&k).Error; err != nil {
		return nil, notFound(err)
	}
	secret, err := base64.StdEncoding.DecodeString(k.PrivatePEM)
	if err != nil || len(secret) < 16 {
		return nil, fmt.Errorf("store: stored unsubscribe secret is unreadable")
	}
	return secret, nil
}

func unsubscribeMAC(secret []byte, userID int64) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("courseportal/unsubscribe/v1:" + strconv.FormatInt(userID, 10)))
	return m.Sum(nil)[:unsubscribeMACLen]
}

// unsubscribeToken makes the token of a user's unsubscribe link.
func unsubscribeToken(secret []byte, userID int64) string {
	b := make([]byte, 0, unsubscribeLen)
	b = append(b, unsubscribeVersion)
	b = binary.BigEndian.AppendUint64(b, uint64(userID))
	b = append(b, unsubscribeMAC(secret, userID)...)
	return base64.RawURLEncoding.EncodeToString(b)
}

// parseUnsubscribeToken returns the user id of a genuine token.
func parseUnsubscribeToken(secret []byte, token string) (int64, bool) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(token) // Strict: one token, one spelling
	if err != nil || len(b) != unsubscribeLen || b[0] != unsubscribeVersion {
		return 0, false
	}
	id := int64(binary.BigEndian.Uint64(b[1:9]))
	if id < 1 || !hmac.Equal(b[9:], unsubscribeMAC(secret, id)) {
		return 0, false
	}
	return id, true
}

// UnsubscribeURL is the link that stops a user's reminders.
func (s *Store) UnsubscribeURL(ctx context.Context, baseURL string, userID int64) (string, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	secret, err := s.unsubscribeSecret(db)
	if err != nil {
		return "", err
	}
	return unsubscribeLink(baseURL, secret, userID), nil
}

func unsubscribeLink(baseURL string, secret []byte, userID int64) string {
	return baseURL + "/unsubscribe/" + unsubscribeToken(secret, userID)
}

// UserByUnsubscribeToken resolves an unsubscribe link to its user; a token
// that is malformed or not signed with this portal's secret is not found.
func (s *Store) UserByUnsubscribeToken(ctx context.Context, token string) (*User, error) {
	if len(token) > 64 {
		return nil, ErrNotFound
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	secret, err := s.unsubscribeSecret(db)
	if err != nil {
		return nil, err
	}
	id, ok := parseUnsubscribeToken(secret, token)
	if !ok {
		return nil, ErrNotFound
	}
	var u User
	if err := db.Select("id, email, full_name, role, reminders_opt_out").Take(&u, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// SetRemindersOptOut turns a user's reminder emails off (or back on) through
// their unsubscribe link, and records it in the audit log.
func (s *Store) SetRemindersOptOut(ctx context.Context, token string, optOut bool) (*User, error) {
	u, err := s.UserByUnsubscribeToken(ctx, token)
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		return s.saveRemindersOptOut(tx, u, optOut, "through the link in a reminder email")
	})
	if err != nil {
		return nil, err
	}
	u.RemindersOptOut = optOut
	return u, nil
}

// saveRemindersOptOut stores the reminder preference and records where the
// person changed it.
func (s *Store) saveRemindersOptOut(tx *gorm.DB, u *User, optOut bool, where string) error {
	action := "reminders.opt_out"
	if !optOut {
		action = "reminders.opt_in"
	}
	err := tx.Model(&User{}).Where("id = ?", u.ID).
		Updates(map[string]any{"reminders_opt_out": optOut, "updated_at": s.clock.Now()}).Error
	if err != nil {
		return fmt.Errorf("store: unable to save reminder preference: %w", err)
	}
	return s.audit(tx, u.ID, action, "user:"+u.Email, where)
}
