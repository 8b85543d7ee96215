package models

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
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

// TakeRate counts one event in every bucket. When any bucket is already
// full nothing is counted and it returns how long until one more is
// allowed; otherwise it returns zero. The buckets are locked for the
// transaction (an advisory lock on PostgreSQL; SQLite's transactions take
// the write lock at BEGIN), so parallel requests cannot all slip under a
// limit. The events live in the database, so every instance shares the
// limits.
func (s *Store) TakeRate(ctx context.Context, checks ...RateCheck) (time.Duration, error) {
	now := s.clock.Now()
	var wait time.Duration
	err := s.tx(ctx, func(tx *gormDB) error {
		for _, c := range sortedChecks(checks) {
			if err := s.lockBucket(tx, c.Bucket); err != nil {
				return err
			}
			if err := tx.Where("bucket = ? AND at <= ?", c.Bucket, now.Add(-c.Limit.Window)).Delete(&RateEvent{}).Error; err != nil {
				return fmt.Errorf("store: unable to prune rate events: %w", err)
			}
			var recent []time.Time
			err := tx.Model(&RateEvent{}).Where("bucket = ?", c.Bucket).Order("at DESC").Limit(c.Limit.Max).Pluck("at", &recent).Error
			if err != nil {
				return fmt.Errorf("store: unable to count rate events: %w", err)
			}
			if len(recent) >= c.Limit.Max {
				// Allowed again once the oldest of the last Max leaves the window.
				wait = max(wait, recent[len(recent)-1].Add(c.Limit.Window).Sub(now), time.Second)
			}
		}
		if wait > 0 {
			return nil
		}
		for _, c := range checks {
			if err := tx.Create(&RateEvent{Bucket: c.Bucket, At: now}).Error; err != nil {
				return fmt.Errorf("store: unable to record rate event: %w", err)
			}
		}
		return nil
	})
	return wait, err
}

// sortedChecks orders the buckets, so two requests lock them in the same
// order and cannot deadlock.
func sortedChecks(checks []RateCheck) []RateCheck {
	out := slices.Clone(checks)
	slices.SortFunc(out, func(a, b RateCheck) int { return strings.Compare(a.Bucket, b.Bucket) })
	return out
}

// lockBucket holds a bucket until the transaction ends.
func (s *Store) lockBucket(tx *gormDB, bucket string) error {
	if s.dialect != Postgres {
		return nil
	}
	if err := tx.Exec("SELECT pg_advisory_xact_lock(hashtext(?))", "rate:"+bucket).Error; err != nil {
		return fmt.Errorf("store: unable to lock rate bucket: %w", err)
	}
	return nil
}
