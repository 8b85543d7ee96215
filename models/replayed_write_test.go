package models_test

import (
	"context"
	"errors"
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

// A replayed write's id is recorded by the transaction that applies it: a
// refused write leaves no id behind (it may be sent again), and one applied
// cannot be applied a second time under the same id.
func TestReplayedWriteIsRecordedWithTheWrite(t *testing.T) {
	store, clock := testdb.Open(t)
	course, _ := testdb.Course(t, store, 1, models.Cohort{})
	u := testdb.User(t, store, models.RoleStudent)
	if _, err := store.Enroll(context.Background(), u.ID, course); err != nil {
		t.Fatal(err)
	}
	a := accessFor(t, store, u, course, "reading-1")
	report := models.ProgressUpdate{Percent: 40, Position: "p-2", Seconds: 30}
	clock.Advance(time.Minute)

	bad := models.WithReplayedWrite(context.Background(), u.ID, "refused")
	if _, err := store.RecordProgress(bad, a, models.ProgressUpdate{Percent: 40, Position: "p-99", Seconds: 30}); err == nil {
		t.Fatal("a report past the last paragraph was accepted")
	}
	if got, err := store.WriteReplayed(context.Background(), u.ID, "refused"); err != nil || got {
		t.Errorf("a refused write's id was kept: %v, %v", got, err)
	}

	first := models.WithReplayedWrite(context.Background(), u.ID, "w-1")
	res, err := store.RecordProgress(first, a, report)
	if err != nil {
		t.Fatal(err)
	}
	if !models.ReplayNoted(first) {
		t.Error("the applied write's transaction did not record its id")
	}
	again := models.WithReplayedWrite(context.Background(), u.ID, "w-1")
	if _, err := store.RecordProgress(again, a, report); !errors.Is(err, models.ErrAlreadyApplied) {
		t.Fatalf("the same write again: %v, want ErrAlreadyApplied", err)
	}
	var seconds int
	if err := store.DB().Raw("SELECT seconds_read FROM reading_progress WHERE enrollment_id = ?", a.Enrollment.ID).Scan(&seconds).Error; err != nil {
		t.Fatal(err)
	}
	if seconds != res.SecondsRead {
		t.Errorf("seconds read %d after the repeat, want %d as the first write left them", seconds, res.SecondsRead)
	}
}
