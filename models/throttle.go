package models

import (
	"context"
	"fmt"
	"time"
)

// Login throttling: after LoginFailureLimit failures for one account within
// LoginFailureWindow, sign-in is refused until the window has passed. Each
// device that signed in to the account before (known by its signed device
// cookie) is counted apart from unknown clients, so a stranger's failures
// never lock the owner out on their own device.
const (
	LoginFailureLimit  = 10
	LoginFailureWindow = 15 * time.Minute
)

// LoginFailure records one failed sign-in for an email address, from one
// device ("" for unknown clients).
type LoginFailure struct {
	ID       int64
	Email    string
	Device   string
	FailedAt time.Time
}

// ClearLoginFailures forgets a device's failures after a successful sign-in
// from it; other devices' and unknown clients' failures stay.
func (s *Store) ClearLoginFailures(ctx context.Context, email, device string) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Where("email = ? AND device = ?", NormalizeEmail(email), device).Delete(&LoginFailure{}).Error; err != nil {
		return fmt.Errorf("store: unable to clear login failures: %w", err)
	}
	return nil
}

// ReserveLoginAttempt counts a sign-in attempt from a device ("" for an
// unknown client) as a failure before the password is checked, so parallel
// guesses cannot all slip under the limit: each sees the attempts recorded
// before it. It returns how long sign-in stays refused (zero to go ahead); a
// refused attempt is not kept, and a successful one is forgotten by
// ClearLoginFailures.
func (s *Store) ReserveLoginAttempt(ctx context.Context, email, device string) (time.Duration, error) {
	now := s.clock.Now()
	email = NormalizeEmail(email)
	if len(email) > 254 {
		email = email[:254]
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	attempt := LoginFailure{Email: email, Device: device, FailedAt: now}
	if err := db.Create(&attempt).Error; err != nil {
		return 0, fmt.Errorf("store: unable to record login attempt: %w", err)
	}
	var earlier []time.Time
	err := db.Model(&LoginFailure{}).
		Where("email = ? AND device = ? AND failed_at > ? AND id < ?", email, device, now.Add(-LoginFailureWindow), attempt.ID).
		Order("failed_at DESC").Limit(LoginFailureLimit).Pluck("failed_at", &earlier).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to count login failures: %w", err)
	}
	if len(earlier) < LoginFailureLimit {
		// Records that left the window no longer count; drop them.
		err := db.Where("email = ? AND failed_at <= ?", email, now.Add(-LoginFailureWindow)).Delete(&LoginFailure{}).Error
		if err != nil {
			return 0, fmt.Errorf("store: unable to prune login failures: %w", err)
		}
		return 0, nil
	}
	if err := db.Delete(&LoginFailure{}, attempt.ID).Error; err != nil {
		return 0, fmt.Errorf("store: unable to drop refused attempt: %w", err)
	}
	s.events.LoginThrottled()
	// Allowed again once the oldest of the last ten failures leaves the window.
	return max(earlier[len(earlier)-1].Add(LoginFailureWindow).Sub(now), time.Second), nil
}
