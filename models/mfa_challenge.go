package models

import (
	"context"
	"fmt"
	"time"
)

// The half-signed-in state: after the password, a person with a second
// factor holds only a challenge, kept on the server and short-lived, until
// the code is given.
const (
	MFAChallengeTTL = 5 * time.Minute
	// Second-factor throttling: after MFAFailureLimit wrong codes within
	// MFAFailureWindow, codes are refused until the window has passed.
	MFAFailureLimit  = 5
	MFAFailureWindow = 15 * time.Minute
)

// MFAChallenge is a pending sign-in waiting for its second factor. Its ID
// is the SHA-256 of the token in the browser's cookie.
type MFAChallenge struct {
	ID        string
	UserID    int64
	Next      string
	CreatedAt time.Time
	ExpiresAt time.Time
}

// MFAFailure records one wrong second-factor code.
type MFAFailure struct {
	ID       int64
	UserID   int64
	FailedAt time.Time
}

// CreateMFAChallenge records that a person gave the right password and
// returns the token the browser keeps until it gives the code. next is
// where to go after signing in.
func (s *Store) CreateMFAChallenge(ctx context.Context, userID int64, next string) (string, error) {
	token, err := NewToken()
	if err != nil {
		return "", err
	}
	now := s.clock.Now()
	db, cancel := s.conn(ctx)
	defer cancel()
	// Expired challenges of anyone go with each new one, so the table stays small.
	if err := db.Where("expires_at <= ?", now).Delete(&MFAChallenge{}).Error; err != nil {
		return "", fmt.Errorf("store: unable to purge sign-in challenges: %w", err)
	}
	ch := MFAChallenge{ID: sessionID(token), UserID: userID, Next: next, CreatedAt: now, ExpiresAt: now.Add(MFAChallengeTTL)}
	if err := db.Create(&ch).Error; err != nil {
		return "", fmt.Errorf("store: unable to create sign-in challenge: %w", err)
	}
	return token, nil
}

// ChallengeUser resolves a live challenge token to its enabled user and the
// page to go to afterwards.
func (s *Store) ChallengeUser(ctx context.Context, token string) (*User, string, error) {
	if token == "" || len(token) > 128 {
		return nil, "", ErrNotFound
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	var row struct {
		User
		ChallengeNext string
	}
	err := db.Table("mfa_challenges").Select("users.*, mfa_challenges.next AS challenge_next").
		Joins("JOIN users ON users.id = mfa_challenges.user_id").
		Where("mfa_challenges.id = ? AND mfa_challenges.expires_at > ? AND users.disabled_at IS NULL",
			sessionID(token), s.clock.Now()).
		Take(&row).Error
	if err != nil {
		return nil, "", notFound(err)
	}
	return &row.User, row.ChallengeNext, nil
}

// DeleteMFAChallenge ends a challenge; it reports whether it still existed,
// so two requests finishing the same challenge cannot both sign in.
func (s *Store) DeleteMFAChallenge(ctx context.Context, token string) (bool, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	res := db.Where("id = ?", sessionID(token)).Delete(&MFAChallenge{})
	if res.Error != nil {
		return false, fmt.Errorf("store: unable to end sign-in challenge: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// ReserveMFAAttempt counts a second-factor attempt as a failure before the
// code is checked, as ReserveLoginAttempt does for passwords, and returns
// how long codes stay refused (zero to go ahead).
func (s *Store) ReserveMFAAttempt(ctx context.Context, userID int64) (time.Duration, error) {
	now := s.clock.Now()
	db, cancel := s.conn(ctx)
	defer cancel()
	attempt := MFAFailure{UserID: userID, FailedAt: now}
	if err := db.Create(&attempt).Error; err != nil {
		return 0, fmt.Errorf("store: unable to record code attempt: %w", err)
	}
	var earlier []time.Time
	err := db.Model(&MFAFailure{}).
		Where("user_id = ? AND failed_at > ? AND id < ?", userID, now.Add(-MFAFailureWindow), attempt.ID).
		Order("failed_at DESC").Limit(MFAFailureLimit).Pluck("failed_at", &earlier).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to count code failures: %w", err)
	}
	if len(earlier) < MFAFailureLimit {
		return 0, nil
	}
	if err := db.Delete(&MFAFailure{}, attempt.ID).Error; err != nil {
		return 0, fmt.Errorf("store: unable to drop refused attempt: %w", err)
	}
	return max(earlier[len(earlier)-1].Add(MFAFailureWindow).Sub(now), time.Second), nil
}

// ClearMFAFailures forgets a person's failures after a right code.
func (s *Store) ClearMFAFailures(ctx context.Context, userID int64) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Where("user_id = ?", userID).Delete(&MFAFailure{}).Error; err != nil {
		return fmt.Errorf("store: unable to clear code failures: %w", err)
	}
	return nil
}
