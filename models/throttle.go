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

// ForgetLoginFailures forgets an account's failures from every device and
// unknown client: a password reset proves the person holds the address, and
// the password those failures guessed at is gone.
func (s *Store) ForgetLoginFailures(ctx context.Context, email string) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Where("email = ?", NormalizeEmail(email)).Delete(&LoginFailure{}).Error; err != nil {
		return fmt.Errorf("store: unable to forget login failures: %w", err)
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
	email = NormalizeEmail(email)
	if len(email) > 254 {
		email = email[:254]
	}
	wait, _, err := s.reserve(ctx, loginFailures, email, device)
	if wait > 0 {
		s.events.LoginThrottled()
	}
	return wait, err
}

// loginFailures is the per-account (and per-device) limit.
var loginFailures = attemptWindow{table: "login_failures", timeColumn: "failed_at", keyColumns: []string{"email", "device"},
	limit: LoginFailureLimit, window: LoginFailureWindow}
