package models

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// HousekeepingInterval is how often each instance purges what can no longer
// be used.
const HousekeepingInterval = 10 * time.Minute

// PurgeMargin is how much longer than the throttling window a failed login
// is kept, so an instance whose clock runs ahead never deletes a failure
// that another instance still counts.
const PurgeMargin = time.Hour

// PurgeOldLoginFailures removes failed logins that left the throttling
// window (and the margin), which nothing counts any more.
func (s *Store) PurgeOldLoginFailures(ctx context.Context) (int64, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	res := db.Where("failed_at <= ?", s.clock.Now().Add(-LoginFailureWindow-PurgeMargin)).Delete(&LoginFailure{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: unable to purge login failures: %w", res.Error)
	}
	return res.RowsAffected, nil
}

// PurgeOldAttempts removes per-client sign-in attempts and account rate
// events that left every window they count in (and the margin): without it
// a stream of requests from fresh addresses would grow both tables forever.
func (s *Store) PurgeOldAttempts(ctx context.Context) (int64, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	now := s.clock.Now()
	attempts := db.Where("attempted_at <= ?", now.Add(-ClientAttemptWindow-PurgeMargin)).Delete(&ClientAttempt{})
	if attempts.Error != nil {
		return 0, fmt.Errorf("store: unable to purge client attempts: %w", attempts.Error)
	}
	events := db.Exec("DELETE FROM rate_events WHERE at <= ?", now.Add(-LongestRateWindow()-PurgeMargin))
	if events.Error != nil {
		return 0, fmt.Errorf("store: unable to purge rate events: %w", events.Error)
	}
	return attempts.RowsAffected + events.RowsAffected, nil
}

// LongestRateWindow is the longest window any account rate limit counts in.
func LongestRateWindow() time.Duration {
	return max(ForgotPerAddress.Window, ForgotPerClient.Window, VerificationResends.Window, EmailChanges.Window)
}

// RunHousekeeping purges expired sessions and old failed logins at once and
// then every interval, until ctx ends. Every instance runs it: each purge is
// one DELETE of rows nobody can use, so instances running it together only
// find less to delete.
func RunHousekeeping(ctx context.Context, s *Store, interval time.Duration, log *slog.Logger) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		s.purge(ctx, log)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Store) purge(ctx context.Context, log *slog.Logger) {
	for _, p := range []struct {
		what string
		run  func(context.Context) (int64, error)
	}{{"expired sessions", s.PurgeExpiredSessions}, {"old login failures", s.PurgeOldLoginFailures},
		{"old client attempts and rate events", s.PurgeOldAttempts},
		{"old replayed offline writes", s.PurgeOldReplayedWrites}} {
		n, err := p.run(ctx)
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("housekeeping failed", "purging", p.what, "error", err)
		case n > 0:
			log.Info("housekeeping", "purged", p.what, "count", n)
		}
	}
}
