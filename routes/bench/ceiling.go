package bench

import (
	"context"
	"slices"
	"sync"
	"time"

	"courseportal/models"
)

// argonCeiling measures the floor under every join: hashing one password
// with the portal's own argon2id settings and concurrency limit, in this
// process, with conc callers for d. A join cannot be faster than this.
func argonCeiling(ctx context.Context, conc int, d time.Duration) ScenarioResult {
	res := ScenarioResult{Name: ScenarioArgon, Request: "models.HashPassword in the bench process (floor of a join)",
		Concurrency: conc, Ceiling: true, Available: true}
	start := time.Now()
	deadline := start.Add(d)
	parts := make([][]time.Duration, conc)
	var wg sync.WaitGroup
	for w := range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && time.Now().Before(deadline) {
				t0 := time.Now()
				if _, err := models.HashPassword(ctx, seedPassword); err != nil {
					return
				}
				parts[w] = append(parts[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	t := &tally{elapsed: time.Since(start), statuses: map[int]int64{}}
	for _, p := range parts {
		t.lat = append(t.lat, p...)
	}
	t.requests = int64(len(t.lat))
	t.statuses[200] = t.requests
	slices.Sort(t.lat)
	res.fromTally(t)
	return res
}
