package models_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// Parallel requests cannot slip past a limit together, a refused request
// is not counted, and the window frees the bucket again.
func TestTakeRateHoldsUnderConcurrency(t *testing.T) {
	store, clock := testdb.Open(t)
	limit := models.RateLimit{Max: 5, Window: time.Hour}
	check := models.RateCheck{Bucket: models.RateBucket("test", "someone@example.org"), Limit: limit}
	var admitted atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			wait, err := store.TakeRate(context.Background(), check)
			if err != nil {
				t.Error(err)
				return
			}
			if wait == 0 {
				admitted.Add(1)
			}
		})
	}
	wg.Wait()
	if n := admitted.Load(); n != int32(limit.Max) {
		t.Fatalf("%d requests admitted, want %d", n, limit.Max)
	}
	wait, err := store.TakeRate(context.Background(), check)
	if err != nil || wait <= 0 || wait > time.Hour {
		t.Fatalf("over the limit: wait %v, %v", wait, err)
	}
	clock.Advance(time.Hour + time.Second)
	if wait, err := store.TakeRate(context.Background(), check); err != nil || wait != 0 {
		t.Fatalf("after the window: wait %v, %v", wait, err)
	}
	var kept int64
	if err := store.DB().Model(&models.RateEvent{}).Where("bucket = ?", check.Bucket).Count(&kept).Error; err != nil || kept != 1 {
		t.Fatalf("%d events kept after the window, %v; want only the new one", kept, err)
	}
}
