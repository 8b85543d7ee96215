package models_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

func TestPurgeExpiredSessions(t *testing.T) {
	store, clock := testdb.Open(t)
	ctx := context.Background()
	u := testdb.User(t, store, models.RoleStudent)
	idle, err := store.CreateSession(ctx, u.ID, "idle")
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(models.SessionIdle - time.Hour)
	live, err := store.CreateSession(ctx, u.ID, "live")
	if err != nil {
		t.Fatal(err)
	}
	clock.Advance(2 * time.Hour) // idle is now past its idle limit
	n, err := store.PurgeExpiredSessions(ctx)
	if err != nil || n != 1 {
		t.Fatalf("purged %d sessions (%v), want the idle one", n, err)
	}
	if _, _, err := store.UserBySession(ctx, idle); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("the idle session still resolves: %v", err)
	}
	if _, _, err := store.UserBySession(ctx, live); err != nil {
		t.Errorf("the live session was purged: %v", err)
	}
	var left int64
	if err := store.DB().Model(&models.Session{}).Count(&left).Error; err != nil || left != 1 {
		t.Fatalf("%d sessions left (%v), want 1", left, err)
	}
}

func TestPurgeOldLoginFailures(t *testing.T) {
	store, clock := testdb.Open(t)
	ctx := context.Background()
	for range 5 {
		if _, err := store.ReserveLoginAttempt(ctx, "old@example.org", ""); err != nil {
			t.Fatal(err)
		}
	}
	clock.Advance(models.LoginFailureWindow + models.PurgeMargin + time.Second)
	for range models.LoginFailureLimit {
		if _, err := store.ReserveLoginAttempt(ctx, "recent@example.org", ""); err != nil {
			t.Fatal(err)
		}
	}
	n, err := store.PurgeOldLoginFailures(ctx)
	if err != nil || n != 5 {
		t.Fatalf("purged %d login failures (%v), want the 5 old ones", n, err)
	}
	var left int64
	if err := store.DB().Model(&models.LoginFailure{}).Where("email = ?", "recent@example.org").Count(&left).Error; err != nil {
		t.Fatal(err)
	}
	if left != int64(models.LoginFailureLimit) {
		t.Fatalf("%d recent failures left, want %d", left, models.LoginFailureLimit)
	}
	// The throttle still counts what the purge kept.
	wait, err := store.ReserveLoginAttempt(ctx, "recent@example.org", "")
	if err != nil || wait <= 0 {
		t.Fatalf("after the purge, attempt %d waits %v (%v), want refused", models.LoginFailureLimit+1, wait, err)
	}
}

// The housekeeping loop purges at once and on every tick, and stops with
// its context.
func TestHousekeepingPurgesUntilStopped(t *testing.T) {
	store, clock := testdb.Open(t)
	ctx, cancel := context.WithCancel(context.Background())
	u := testdb.User(t, store, models.RoleStudent)
	if _, err := store.CreateSession(ctx, u.ID, "old"); err != nil {
		t.Fatal(err)
	}
	if _, err := store.ReserveLoginAttempt(ctx, "old@example.org", ""); err != nil {
		t.Fatal(err)
	}
	clock.Advance(models.SessionMaxAge + time.Hour)
	done := make(chan struct{})
	go func() { defer close(done); models.RunHousekeeping(ctx, store, 10*time.Millisecond, testdb.Quiet) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var sessions, failures int64
		if err := store.DB().Model(&models.Session{}).Count(&sessions).Error; err != nil {
			t.Fatal(err)
		}
		if err := store.DB().Model(&models.LoginFailure{}).Count(&failures).Error; err != nil {
			t.Fatal(err)
		}
		if sessions == 0 && failures == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after 10 s, %d sessions and %d login failures are left", sessions, failures)
		}
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("the housekeeping loop did not stop with its context")
	}
}

func TestPurgeOldAttempts(t *testing.T) {
	store, clock := testdb.Open(t)
	ctx := context.Background()
	for range 3 {
		if _, _, err := store.ReserveClientAttempt(ctx, "192.0.2.7", 50); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.DB().Exec("INSERT INTO rate_events (bucket, at) VALUES (?, ?)", "forgot:old", clock.Now()).Error; err != nil {
		t.Fatal(err)
	}
	clock.Advance(max(models.ClientAttemptWindow, time.Hour) + models.PurgeMargin + time.Second)
	if _, _, err := store.ReserveClientAttempt(ctx, "192.0.2.8", 50); err != nil {
		t.Fatal(err)
	}
	if err := store.DB().Exec("INSERT INTO rate_events (bucket, at) VALUES (?, ?)", "forgot:recent", clock.Now()).Error; err != nil {
		t.Fatal(err)
	}
	n, err := store.PurgeOldAttempts(ctx)
	if err != nil || n != 4 {
		t.Fatalf("purged %d rows (%v), want the 3 old attempts and the old rate event", n, err)
	}
	var left int64
	if err := store.DB().Raw("SELECT (SELECT COUNT(*) FROM client_attempts) + (SELECT COUNT(*) FROM rate_events)").Scan(&left).Error; err != nil {
		t.Fatal(err)
	}
	if left != 2 {
		t.Fatalf("%d recent rows left, want 2", left)
	}
}
