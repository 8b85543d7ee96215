package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"
)

// RateLimit allows Max events per Window for one bucket.
type RateLimit struct {
	Max    int
	Window time.Duration
}

// Limits of the account mails: enough for a person who mistyped or lost a
// message, too few to flood an inbox or probe many addresses.
var (
	// ForgotPerAddress bounds reset links asked for one address.
	ForgotPerAddress = RateLimit{Max: 3, Window: time.Hour}
	// ForgotPerClient bounds reset requests from one client address.
	ForgotPerClient = RateLimit{Max: 10, Window: time.Hour}
	// VerificationResends bounds new confirmation links for one account.
	VerificationResends = RateLimit{Max: 3, Window: time.Hour}
	// EmailChanges bounds confirmation links to new addresses for one account.
	EmailChanges = RateLimit{Max: 5, Window: time.Hour}
)

// RateEvent is one counted event. Buckets name what is limited, like
// "forgot:client:203.0.113.9"; personal parts (email addresses) are hashed.
type RateEvent struct {
	ID     int64
	Bucket string
	At     time.Time
}

// RateBucket names a bucket from a kind and a key, hashing the key so the
// table holds no email address.
func RateBucket(kind, key string) string {
	sum := sha256.Sum256([]byte(key))
	return kind + ":" + hex.EncodeToString(sum[:12])
}

// RateCheck is one bucket and its limit.
type RateCheck struct {
	Bucket string
	Limit  RateLimit
}

// TakeRate counts one event in every bucket. When any bucket was already
// full the event is not kept and it returns how long until one more is
// allowed; otherwise it returns zero. Like login throttling, each event is
// written before the earlier ones are counted, so parallel requests cannot
// all slip under a limit. The events live in the database, so every
// instance shares the limits.
func (s *Store) TakeRate(ctx context.Context, checks ...RateCheck) (time.Duration, error) {
	now := s.clock.Now()
	db, cancel := s.conn(ctx)
	defer cancel()
	ids := make([]int64, 0, len(checks))
	var wait time.Duration
	for _, c := range checks {
		ev := RateEvent{Bucket: c.Bucket, At: now}
		if err := db.Create(&ev).Error; err != nil {
			return 0, fmt.Errorf("store: unable to record rate event: %w", err)
		}
		ids = append(ids, ev.ID)
		var earlier []time.Time
		err := db.Model(&RateEvent{}).Where("bucket = ? AND at > ? AND id < ?", c.Bucket, now.Add(-c.Limit.Window), ev.ID).
			Order("at DESC").Limit(c.Limit.Max).Pluck("at", &earlier).Error
		if err != nil {
			return 0, fmt.Errorf("store: unable to count rate events: %w", err)
		}
		if len(earlier) >= c.Limit.Max {
			wait = max(wait, earlier[len(earlier)-1].Add(c.Limit.Window).Sub(now), time.Second)
		}
	}
	if wait > 0 {
		if err := db.Delete(&RateEvent{}, ids).Error; err != nil {
			return 0, fmt.Errorf("store: unable to drop refused rate event: %w", err)
		}
		return wait, nil
	}
	// Events that left the window no longer count; drop them.
	for _, c := range checks {
		if err := db.Where("bucket = ? AND at <= ?", c.Bucket, now.Add(-c.Limit.Window)).Delete(&RateEvent{}).Error; err != nil {
			return 0, fmt.Errorf("store: unable to prune rate events: %w", err)
		}
	}
	return 0, nil
}
