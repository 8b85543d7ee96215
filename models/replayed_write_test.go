package models_test

import (
	"context"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// A replayed offline write is known by its id for as long as any session
// that could send it lives, per person, and forgotten after.
func TestReplayedWrites(t *testing.T) {
	store, clock := testdb.Open(t)
	ctx := context.Background()
	a := testdb.User(t, store, models.RoleStudent)
	b := testdb.User(t, store, models.RoleStudent)
	for range 2 { // noting twice is harmless
		if err := store.NoteWriteReplayed(ctx, a.ID, "w-1"); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(models.SessionMaxAge)
	if err := store.NoteWriteReplayed(ctx, a.ID, "w-2"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		user int64
		id   string
		want bool
	}{{a.ID, "w-1", true}, {a.ID, "w-2", true}, {b.ID, "w-1", false}, {a.ID, "w-3", false}} {
		if got, err := store.WriteReplayed(ctx, tc.user, tc.id); err != nil || got != tc.want {
			t.Errorf("WriteReplayed(%d, %s) = %v, %v; want %v", tc.user, tc.id, got, err, tc.want)
		}
	}
	clock.Advance(models.PurgeMargin + time.Minute)
	if n, err := store.PurgeOldReplayedWrites(ctx); err != nil || n != 1 {
		t.Fatalf("purged %d replayed writes (%v), want the one older than any session", n, err)
	}
	if got, err := store.WriteReplayed(ctx, a.ID, "w-2"); err != nil || !got {
		t.Errorf("the recent write was forgotten: %v, %v", got, err)
	}
}
