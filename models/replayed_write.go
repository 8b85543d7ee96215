package models

import (
	"context"
	"fmt"
	"time"
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
	err := db.Exec(`INSERT INTO replayed_writes (user_id, write_id, applied_at) VALUES (?, ?, ?)
ON CONFLICT (user_id, write_id) DO NOTHING`, userID, writeID, s.clock.Now()).Error
	if err != nil {
		return fmt.Errorf("store: unable to note a replayed write: %w", err)
	}
	return nil
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
