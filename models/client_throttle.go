package models

import (
	"context"
	"fmt"
	"time"
)

// Client throttling: one client address may make ClientAttemptLimit
// attempts within ClientAttemptWindow across all accounts — failed sign-ins,
// sign-ups and joins — so spraying passwords over many accounts, or
// creating accounts in bulk, is slowed whatever the accounts. The limit is
// generous because a school or office shares one address.
const (
	ClientAttemptLimit  = 50
	ClientAttemptWindow = 15 * time.Minute
)

// ClientAttempt records one attempt from a client address.
type ClientAttempt struct {
	ID          int64
	Client      string
	AttemptedAt time.Time
}

// ReserveClientAttempt counts an attempt from a client address before the
// work is done, so parallel requests cannot all slip under the limit. It
// returns how long the client stays refused (zero to go ahead) and the
// attempt's id, which ForgetClientAttempt takes back when the attempt turns
// out to be a successful sign-in. A limit of zero or less turns the check off.
func (s *Store) ReserveClientAttempt(ctx context.Context, client string, limit int) (time.Duration, int64, error) {
	if limit <= 0 {
		return 0, 0, nil
	}
	if len(client) > 64 {
		client = client[:64]
	}
	now := s.clock.Now()
	db, cancel := s.conn(ctx)
	defer cancel()
	attempt := ClientAttempt{Client: client, AttemptedAt: now}
	if err := db.Create(&attempt).Error; err != nil {
		return 0, 0, fmt.Errorf("store: unable to record client attempt: %w", err)
	}
	var earlier []time.Time
	err := db.Model(&ClientAttempt{}).
		Where("client = ? AND attempted_at > ? AND id < ?", client, now.Add(-ClientAttemptWindow), attempt.ID).
		Order("attempted_at DESC").Limit(limit).Pluck("attempted_at", &earlier).Error
	if err != nil {
		return 0, 0, fmt.Errorf("store: unable to count client attempts: %w", err)
	}
	if len(earlier) < limit {
		// Records that left the window no longer count; drop them.
		err := db.Where("client = ? AND attempted_at <= ?", client, now.Add(-ClientAttemptWindow)).Delete(&ClientAttempt{}).Error
		if err != nil {
			return 0, 0, fmt.Errorf("store: unable to prune client attempts: %w", err)
		}
		return 0, attempt.ID, nil
	}
	if err := db.Delete(&ClientAttempt{}, attempt.ID).Error; err != nil {
		return 0, 0, fmt.Errorf("store: unable to drop refused attempt: %w", err)
	}
	return max(earlier[len(earlier)-1].Add(ClientAttemptWindow).Sub(now), time.Second), 0, nil
}

// ForgetClientAttempt takes back a reserved attempt (a successful sign-in
// does not count against its client).
func (s *Store) ForgetClientAttempt(ctx context.Context, id int64) error {
	if id == 0 {
		return nil
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Delete(&ClientAttempt{}, id).Error; err != nil {
		return fmt.Errorf("store: unable to forget client attempt: %w", err)
	}
	return nil
}
