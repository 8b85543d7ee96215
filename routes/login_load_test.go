package routes_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"courseportal/routes"
)

// A flood of bogus sign-ins never makes a request hang: each one is answered
// within a few seconds, if need be with 503 and Retry-After, and the real
// owner's sign-in is among them.
func TestBogusLoginFloodNeverHangs(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	// Each bogus sign-in comes from its own address, so the per-client
	// limit does not shed them: this is the hashing queue's test.
	e := newEnvWith(t, func(o *routes.Options) { o.TrustedProxies = []string{"0.0.0.0"} })
	if res := e.client().signup("Real Owner", "owner@example.org", "s3cret-passphrase"); res.Status != http.StatusSeeOther {
		t.Fatalf("signup = %d", res.Status)
	}
	const flood = 300
	// A request waits at most 3 s for a hashing slot; the rest is the hash
	// itself and the throttling queries of 300 requests at once. Without
	// the bound the last of them waited about 15 s.
	deadline := 8 * time.Second * slowdown
	var mu sync.Mutex
	statuses := map[int]int{}
	var slowest time.Duration
	var wg sync.WaitGroup
	visitor := e.client()
	token := visitor.csrf() // bound to the visitor's csrf cookie, sent below
	try := func(client int, email, password string) {
		defer wg.Done()
		// Straight to the app: the harness's client counts any 5xx as a
		// failure, and 503 is an expected answer here.
		form := url.Values{"email": {email}, "password": {password}, "_csrf": {token}}
		req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", "csrf="+visitor.cookies["csrf"])
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.0.%d.%d", client/256, client%256))
		start := time.Now()
		res, err := e.app.Test(req, -1)
		took := time.Since(start)
		if err != nil {
			t.Error(err)
			return
		}
		res.Body.Close()
		mu.Lock()
		defer mu.Unlock()
		statuses[res.StatusCode]++
		slowest = max(slowest, took)
		if res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") == "" {
			t.Errorf("503 without Retry-After")
		}
	}
	for i := range flood {
		wg.Add(1)
		go try(i, fmt.Sprintf("nobody%d@example.org", i), "wrong-guess")
	}
	wg.Add(1)
	go try(flood, "owner@example.org", "s3cret-passphrase")
	wg.Wait()
	if slowest > deadline {
		t.Fatalf("the slowest sign-in took %v, want at most %v (statuses %v)", slowest, deadline, statuses)
	}
	for status, n := range statuses {
		switch status {
		case http.StatusSeeOther, http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		default:
			t.Errorf("%d sign-ins answered %d", n, status)
		}
	}
	if statuses[http.StatusServiceUnavailable] == 0 {
		t.Errorf("no sign-in was shed under load (statuses %v)", statuses)
	}
	t.Logf("statuses %v, slowest %v", statuses, slowest)
}
