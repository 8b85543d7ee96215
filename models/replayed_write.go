package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// MaxWriteIDBytes bounds the id a device gives a write it kept offline.
const MaxWriteIDBytes = 64

// ReplayedWrite is a write a device kept offline and the server applied,
// by the id the device gave it: sent again because its answer was lost on
// the way, it is not applied twice.
type ReplayedWrite struct {
	UserID    int64  `gorm:"primaryKey"`
	WriteID   string `gorm:"primaryKey"`
	AppliedAt time.Time
}

// ErrAlreadyApplied refuses a replayed write whose id was applied before.
var ErrAlreadyApplied = errors.New("this update was applied already, when the device first sent it; it was not applied again")

// replayClaim is a replayed write's id, carried by the request's context to
// the transaction that applies the write, which records the id with it.
type replayClaim struct {
	userID  int64
	writeID string
	noted   bool
}

type replayClaimKey struct{}

// WithReplayedWrite marks ctx as applying the person's write kept offline
// under writeID. The store records the id in the transaction that applies
// the write (or answers ErrAlreadyApplied), so a write sent twice, even at
// once from two tabs, or after a crash between the write and its note, is
// applied once.
func WithReplayedWrite(ctx context.Context, userID int64, writeID string) context.Context {
	return context.WithValue(ctx, replayClaimKey{}, &replayClaim{userID: userID, writeID: writeID})
}

// ReplayNoted reports whether a transaction under ctx recorded its
// replayed write's id.
func ReplayNoted(ctx context.Context) bool {
	claim, ok := ctx.Value(replayClaimKey{}).(*replayClaim)
	return ok && claim.noted
}

// replaying reports whether ctx applies a replayed write not yet recorded.
func replaying(ctx context.Context) bool {
	claim, ok := ctx.Value(replayClaimKey{}).(*replayClaim)
	return ok && !claim.noted
}

// claimReplayedWrite records, inside the transaction tx that applies it,
// the id of the replayed write its context carries; the id's primary key
// makes a second claim wait for the first and then fail with
// ErrAlreadyApplied. Without a replayed write it does nothing.
func (s *Store) claimReplayedWrite(tx *gorm.DB) error {
	claim, ok := tx.Statement.Context.Value(replayClaimKey{}).(*replayClaim)
	if !ok || claim.noted {
		return nil
	}
	inserted, err := s.insertReplayedWrite(tx, claim.userID, claim.writeID)
	if err != nil {
		return err
	}
	if !inserted {
		return ErrAlreadyApplied
	}
	// Set before the commit: a rolled-back transaction fails the request,
	// whose answer then never reports the write applied.
	claim.noted = true
	return nil
}

// WriteReplayed reports whether the person's write with this id was applied.
func (s *Store) WriteReplayed(ctx context.Context, userID int64, writeID string) (bool, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var n int64
	if err := db.Model(&ReplayedWrite{}).Where("user_id = ? AND write_id = ?", userID, writeID).Count(&n).Error; err != nil {
		return false, fmt.Errorf("store: unable to look up a replayed write: %w", err)
	}
	return n > 0, nil
}

// NoteWriteReplayed records that the person's write with this id was
// applied; noting it twice is harmless.
func (s *Store) NoteWriteReplayed(ctx context.Context, userID int64, writeID string) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	_, err := s.insertReplayedWrite(db, userID, writeID)
	return err
}

// insertReplayedWrite records a write's id; inserted is false when it was
// recorded already.
func (s *Store) insertReplayedWrite(db *gorm.DB, userID int64, writeID string) (inserted bool, err error) {
	res := db.Exec(`INSERT INTO replayed_writes (user_id, write_id, applied_at) VALUES (?, ?, ?)
ON CONFLICT (user_id, write_id) DO NOTHING`, userID, writeID, s.clock.Now())
	if res.Error != nil {
		return false, fmt.Errorf("store: unable to note a replayed write: %w", res.Error)
	}
	return res.RowsAffected > 0, nil
}

// PurgeOldReplayedWrites forgets replayed writes older than any session: a
// write is replayed only under the sign-in it was made in.
func (s *Store) PurgeOldReplayedWrites(ctx context.Context) (int64, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	res := db.Where("applied_at <= ?", s.clock.Now().Add(-SessionMaxAge-PurgeMargin)).Delete(&ReplayedWrite{})
	if res.Error != nil {
		return 0, fmt.Errorf("store: unable to purge replayed writes: %w", res.Error)
	}
	return res.RowsAffected, nil
}
