package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"time"
)

// Session lifetimes: a session ends after SessionIdle without a request (two
// weeks, so a student who reads weekly stays signed in), and in any case
// SessionMaxAge after sign-in.
const (
	SessionIdle   = 14 * 24 * time.Hour
	SessionMaxAge = 30 * 24 * time.Hour
	// StaffSessionIdle is the idle limit of instructors and administrators,
	// whose sessions can do more harm: a working day.
	StaffSessionIdle = 12 * time.Hour
	// ConfirmationWindow is how long a password or code typed into a session
	// counts for sensitive console actions.
	ConfirmationWindow = 15 * time.Minute
	// touchEvery limits last-seen writes to one per session and interval.
	touchEvery = 5 * time.Minute
)

// Session is a signed-in browser or API client. Its ID is the SHA-256 of the
// token the client holds, so a leaked table does not leak live sessions.
type Session struct {
	ID         string
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	UserAgent  string
	// ConfirmedAt is when the holder last proved who they are: at sign-in,
	// and again when a sensitive action asked.
	ConfirmedAt *time.Time
}

// RecentlyConfirmed reports whether the session's last password or code is
// within ConfirmationWindow of now.
func (s *Session) RecentlyConfirmed(now time.Time) bool {
	return s != nil && s.ConfirmedAt != nil && now.Sub(*s.ConfirmedAt) < ConfirmationWindow
}

// sessionID hashes a client token into the stored key.
func sessionID(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// NewToken returns 256 random bits, URL-safe.
func NewToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("token: unable to read random bytes: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// CreateSession signs a user in and returns the token for the cookie.
func (s *Store) CreateSession(ctx context.Context, userID int64, userAgent string) (string, error) {
	token, err := NewToken()
	if err != nil {
		return "", err
	}
	if len(userAgent) > 256 {
		userAgent = userAgent[:256]
	}
	now := s.clock.Now()
	sess := Session{ID: sessionID(token), UserID: userID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(SessionMaxAge), UserAgent: userAgent, ConfirmedAt: &now}
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Create(&sess).Error; err != nil {
		return "", fmt.Errorf("store: unable to create session: %w", err)
	}
	return token, nil
}

// sessionRow is the joined session and user read on every request,
// scanned by hand: GORM's reflection over the user's columns cost a
// console page more than any of its own statements.
type sessionRow struct {
	User
	SessionLastSeen    time.Time
	SessionConfirmedAt *time.Time
	SessionCreatedAt   time.Time
	SessionExpiresAt   time.Time
}

// sessionValid is the condition a live session meets, on sessions s joined
// to their users u, with sessionValidArgs: not expired, the user not
// disabled, and used within the idle limit (staff's shorter one for
// instructors and administrators). Every statement that resolves a session
// uses it, so that logout, disabling and expiry end a session at once on
// every instance, whichever path reads it.
const sessionValid = `s.id = ? AND s.expires_at > ? AND u.disabled_at IS NULL
  AND s.last_seen_at > ? AND (u.role = ? OR s.last_seen_at > ?)`

// sessionValidArgs are sessionValid's arguments for a session id at now.
func sessionValidArgs(id string, now time.Time) []any {
	return []any{id, now, now.Add(-SessionIdle), RoleStudent, now.Add(-StaffSessionIdle)}
}

// UserBySession resolves a token to its signed-in, enabled user and the
// session in one query, refreshing the idle timer at most every few
// minutes. Staff sessions end after StaffSessionIdle without a request.
func (s *Store) UserBySession(ctx context.Context, token string) (*User, *Session, error) {
	if token == "" || len(token) > 128 {
		return nil, nil, ErrNotFound
	}
	id := sessionID(token)
	now := s.clock.Now()
	row, err := s.readSession(ctx, id, now)
	if err != nil {
		return nil, nil, err
	}
	if row.SessionLastSeen, err = s.touchSessionIfIdle(ctx, id, row.SessionLastSeen, now); err != nil {
		return nil, nil, err
	}
	sess := &Session{ID: id, UserID: row.User.ID, CreatedAt: row.SessionCreatedAt, LastSeenAt: row.SessionLastSeen,
		ExpiresAt: row.SessionExpiresAt, ConfirmedAt: row.SessionConfirmedAt}
	return &row.User, sess, nil
}

// readSession reads a live session and its user (ErrNotFound: none).
func (s *Store) readSession(ctx context.Context, id string, now time.Time) (*sessionRow, error) {
	var row sessionRow
	err := s.readRow(ctx, "session", sessionQuery, sessionValidArgs(id, now), append(row.User.columns(),
		&row.SessionLastSeen, &row.SessionConfirmedAt, &row.SessionCreatedAt, &row.SessionExpiresAt)...)
	if err != nil {
		return nil, err
	}
	return &row, nil
}

var sessionQuery = `SELECT ` + userColumns + `, s.last_seen_at, s.confirmed_at, s.created_at, s.expires_at
FROM sessions s JOIN users u ON u.id = s.user_id WHERE ` + sessionValid + ` LIMIT 1`

// touchSessionIfIdle refreshes a session's idle timer when it was last
// seen more than touchEvery ago, and returns the last-seen time now held.
func (s *Store) touchSessionIfIdle(ctx context.Context, id string, lastSeen, now time.Time) (time.Time, error) {
	if now.Sub(lastSeen) <= touchEvery {
		return lastSeen, nil
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Table("sessions").Where("id = ?", id).Update("last_seen_at", now).Error; err != nil {
		return lastSeen, fmt.Errorf("store: unable to touch session: %w", err)
	}
	return now, nil
}

// ConfirmSession records that the session's holder just typed their
// password or a code again.
func (s *Store) ConfirmSession(ctx context.Context, token string) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Table("sessions").Where("id = ?", sessionID(token)).Update("confirmed_at", s.clock.Now()).Error; err != nil {
		return fmt.Errorf("store: unable to confirm session: %w", err)
	}
	return nil
}

// DeleteSession ends one session (logout).
func (s *Store) DeleteSession(ctx context.Context, token string) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Where("id = ?", sessionID(token)).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("store: unable to delete session: %w", err)
	}
	return nil
}

// DeleteUserSessions ends every session of a user (disabling, password change).
func (s *Store) DeleteUserSessions(ctx context.Context, userID int64) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Where("user_id = ?", userID).Delete(&Session{}).Error; err != nil {
		return fmt.Errorf("store: unable to delete sessions: %w", err)
	}
	return nil
}

// PurgeExpiredSessions removes sessions that can no longer be used.
func (s *Store) PurgeExpiredSessions(ctx context.Context) (int64, error) {
	now := s.clock.Now()
	db, cancel := s.conn(ctx)
	defer cancel()
	res := db.Where("expires_at <= ? OR last_seen_at <= ?", now, now.Add(-SessionIdle)).Delete(&Session{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: unable to purge sessions: %w", res.Error)
	}
	return res.RowsAffected, nil
}
