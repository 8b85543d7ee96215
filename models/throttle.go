package models

import (
	"context"
	"fmt"
	"time"
)

// Login throttling: after LoginFailureLimit failures for one account within
// LoginFailureWindow, sign-in is refused until the window has passed.
const (
	LoginFailureLimit  = 10
	LoginFailureWindow = 15 * time.Minute
)

// LoginFailure records one failed sign-in for an email address.
type LoginFailure struct {
	ID       int64
	Email    string
	FailedAt time.Time
}

// LoginBlockedFor tells how long sign-in for this email stays refused; zero
// means it is allowed.
func (s *Store) LoginBlockedFor(ctx context.Context, email string) (time.Duration, error) {
	now := s.clock.Now()
	db, cancel := s.conn(ctx)
	defer cancel()
	var times []time.Time
	err := db.Model(&LoginFailure{}).
		Where("email = ? AND failed_at > ?", NormalizeEmail(email), now.Add(-LoginFailureWindow)).
		Order("failed_at DESC").Limit(LoginFailureLimit).Pluck("failed_at", &times).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to count login failures: %w", err)
	}
	if len(times) < LoginFailureLimit {
		return 0, nil
	}
	// Allowed again once the oldest of the last ten failures leaves the window.
	wait := times[len(times)-1].Add(LoginFailureWindow).Sub(now)
	return max(wait, time.Second), nil
}

// RecordLoginFailure notes a failed sign-in and drops records older than the
// window for that address.
func (s *Store) RecordLoginFailure(ctx context.Context, email string) error {
	now := s.clock.Now()
	email = NormalizeEmail(email)
	if len(email) > 254 {
		email = email[:254]
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Create(&LoginFailure{Email: email, FailedAt: now}).Error; err != nil {
		return fmt.Errorf("store: unable to record login failure: %w", err)
	}
	if err := db.Where("email = ? AND failed_at <= ?", email, now.Add(-LoginFailureWindow)).
		Delete(&LoginFailure{}).Error; err != nil {
		return fmt.Errorf("store: unable to prune login failures: %w", err)
	}
	return nil
}

// ClearLoginFailures forgets failures after a successful sign-in.
func (s *Store) ClearLoginFailures(ctx context.Context, email string) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Where("email = ?", NormalizeEmail(email)).Delete(&LoginFailure{}).Error; err != nil {
		return fmt.Errorf("store: unable to clear login failures: %w", err)
	}
	return nil
}
