package models

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
)

// fillHashSlots takes every hashing slot until the test ends.
func fillHashSlots(t *testing.T) {
	t.Helper()
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	t.Cleanup(func() {
		for range cap(hashSlots) {
			<-hashSlots
		}
	})
}

func TestHashingGivesUpInsteadOfWaitingForever(t *testing.T) {
	fillHashSlots(t)
	start := time.Now()
	_, err := HashPassword(context.Background(), "s3cret-passphrase")
	if !errors.Is(err, ErrBusy) {
		t.Fatalf("hashing with every slot taken = %v, want ErrBusy", err)
	}
	if waited := time.Since(start); waited < hashWait || waited > hashWait+time.Second {
		t.Fatalf("gave up after %v, want about %v", waited, hashWait)
	}
}

func TestHashingQueueIsBounded(t *testing.T) {
	fillHashSlots(t)
	// The queue holds maxHashWaiters; every request beyond them is refused
	// at once rather than queued.
	var wg sync.WaitGroup
	for range maxHashWaiters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _ = CheckPassword(context.Background(), "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U", "x")
		}()
	}
	deadline := time.Now().Add(time.Second)
	for hashWaiters.Load() < maxHashWaiters && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	if n := hashWaiters.Load(); n != maxHashWaiters {
		t.Fatalf("%d requests wait for a slot, want %d", n, maxHashWaiters)
	}
	start := time.Now()
	_, err := HashPassword(context.Background(), "s3cret-passphrase")
	if !errors.Is(err, ErrBusy) || time.Since(start) > 100*time.Millisecond {
		t.Fatalf("hashing with a full queue = %v after %v, want ErrBusy at once", err, time.Since(start))
	}
	wg.Wait()
}
