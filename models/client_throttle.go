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
	w := clientAttempts
	w.limit = limit
	return s.reserve(ctx, w, client)
}

// clientAttempts is the per-client limit; its limit is set per call.
var clientAttempts = attemptWindow{table: "client_attempts", timeColumn: "attempted_at", keyColumns: []string{"client"},
	window: ClientAttemptWindow}

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
