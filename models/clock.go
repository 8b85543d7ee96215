package models

import (
	"sync"
	"time"
)

// Clock is the one source of time for the domain, so tests can move through
// a six-week course without waiting.
type Clock interface {
	Now() time.Time
}

// SystemClock reads the machine's clock.
type SystemClock struct{}

// Now returns the current time in UTC, truncated to microseconds so values
// round-trip identically through PostgreSQL and SQLite.
func (SystemClock) Now() time.Time { return normalizeTime(time.Now()) }

// FixedClock is a settable clock for tests; safe to move while a server
// reads it.
type FixedClock struct {
	mu sync.Mutex
	T  time.Time
}

// Now returns the clock's current time.
func (f *FixedClock) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return normalizeTime(f.T)
}

// Advance moves the clock forward.
func (f *FixedClock) Advance(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.T = f.T.Add(d)
}

func normalizeTime(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }
