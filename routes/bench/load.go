package bench

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/valyala/fasthttp"
)

// newClient is the load generator's HTTP client for one host: keep-alive
// connections, up to conns at once, no retries (a failed request is an
// error, not a second try), no redirects followed. The same client drives
// the portal and the static ceiling, so their ratio is fair.
func newClient(addr string, conns int) *fasthttp.HostClient {
	return &fasthttp.HostClient{
		Addr:                      addr,
		Name:                      "courseportal-bench",
		MaxConns:                  conns,
		MaxConnWaitTimeout:        time.Minute,
		MaxIdemponentCallAttempts: 1,
		ReadBufferSize:            16 << 10,
		ReadTimeout:               2 * time.Minute,
		WriteTimeout:              30 * time.Second,
		MaxIdleConnDuration:       time.Minute,
	}
}

// job is one scenario's traffic.
type job struct {
	client *fasthttp.HostClient
	conc   int
	// rate, when above zero, paces the requests at that many per second in
	// total (an open loop); latency then counts from the moment each
	// request was due, so a stalled server cannot hide its queue.
	rate float64
	// fill writes the seq-th request of a worker.
	fill func(req *fasthttp.Request, worker, seq int)
}

// tally is what one phase of a job measured.
type tally struct {
	requests int64
	errors   int64
	bytes    int64
	elapsed  time.Duration
	lat      []time.Duration
	statuses map[int]int64
	sample   string // the first error, for the report
}

// run drives the job for d and returns what it measured. Requests in flight
// at the end are waited for and counted.
func (j job) run(ctx context.Context, d time.Duration, seqBase int) *tally {
	start := time.Now()
	deadline := start.Add(d)
	var slots chan time.Time
	if j.rate > 0 {
		slots = make(chan time.Time, j.conc)
		go pace(ctx, slots, j.rate, start, deadline)
	}
	parts := make([]*tally, j.conc)
	var wg sync.WaitGroup
	for w := range j.conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[w] = j.worker(ctx, w, seqBase, deadline, slots)
		}()
	}
	wg.Wait()
	total := joinTallies(parts)
	total.elapsed = time.Since(start)
	return total
}

// pace hands out request slots at a fixed rate until the deadline.
func pace(ctx context.Context, slots chan<- time.Time, rate float64, start, deadline time.Time) {
	defer close(slots)
	interval := time.Duration(float64(time.Second) / rate)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	next := start
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-tick.C:
			for ; !next.After(now); next = next.Add(interval) {
				if !next.Before(deadline) {
					return
				}
				select {
				case slots <- next:
				case <-ctx.Done():
					return
				}
			}
		}
	}
}

func (j job) worker(ctx context.Context, w, seq int, deadline time.Time, slots <-chan time.Time) *tally {
	t := &tally{statuses: map[int]int64{}}
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	for ; ctx.Err() == nil; seq++ {
		var due time.Time
		if slots != nil {
			var ok bool
			if due, ok = <-slots; !ok {
				break
			}
		} else if due = time.Now(); !due.Before(deadline) {
			break
		}
		req.Reset()
		resp.Reset()
		j.fill(req, w, seq)
		err := j.client.Do(req, resp)
		t.lat = append(t.lat, time.Since(due))
		t.requests++
		status := 0
		if err == nil {
			status = resp.StatusCode()
			t.bytes += int64(len(resp.Body()))
		}
		t.statuses[status]++
		if status < 200 || status >= 400 {
			t.errors++
			if t.sample == "" {
				t.sample = describeFailure(req, resp, status, err)
			}
		}
	}
	return t
}

// describeFailure is one line about a failed request.
func describeFailure(req *fasthttp.Request, resp *fasthttp.Response, status int, err error) string {
	what := string(req.Header.Method()) + " " + string(req.URI().RequestURI())
	if err != nil {
		return what + ": " + err.Error()
	}
	body := resp.Body()
	if string(resp.Header.ContentEncoding()) == "gzip" {
		if b, gerr := resp.BodyGunzip(); gerr == nil {
			body = b
		}
	}
	if len(body) > 300 {
		body = body[:300]
	}
	return what + ": " + strconv.Itoa(status) + " " + string(body)
}

// percentile of sorted latencies, in milliseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p/100+0.999999) - 1
	i = max(0, min(len(sorted)-1, i))
	return float64(sorted[i]) / float64(time.Millisecond)
}
