package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// The reader page against its static ceiling, both driven by wrk: the same
// external client, the same headers and connections, one pair after the
// other in the same run, once as a browser asks (gzip: nginx sends the
// precompressed file) and once without compression.
const (
	ScenarioReaderWrk      = "reader-wrk"
	ScenarioStaticWrk      = "static-wrk"
	ScenarioReaderWrkPlain = "reader-wrk-plain"
	ScenarioStaticWrkPlain = "static-wrk-plain"
)

// wrkThreads is wrk's thread count: one per core of the 2-core machine the
// benchmark was written for; more would only add context switches.
const wrkThreads = 2

// wrkReport is what the done() hook of wrkScript prints, in microseconds.
type wrkReport struct {
	Requests     int64 `json:"requests"`
	DurationUS   int64 `json:"duration_us"`
	Bytes        int64 `json:"bytes"`
	StatusErrors int64 `json:"status_errors"`
	Connect      int64 `json:"connect"`
	Read         int64 `json:"read"`
	Write        int64 `json:"write"`
	Timeout      int64 `json:"timeout"`
	P50          int64 `json:"p50"`
	P90          int64 `json:"p90"`
	P99          int64 `json:"p99"`
	Max          int64 `json:"max"`
}

// wrkScript only reports at the end: without request() or response()
// hooks wrk runs no Lua per request, so the script costs the load nothing.
const wrkScript = `done = function(s, latency, requests)
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"bytes":%d,"status_errors":%d,' ..
    '"connect":%d,"read":%d,"write":%d,"timeout":%d,"p50":%d,"p90":%d,"p99":%d,"max":%d}\n',
    s.requests, s.duration, s.bytes, s.errors.status, s.errors.connect, s.errors.read, s.errors.write,
    s.errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
`

// wrkPairs runs the reader page and its static copy with wrk, gzip pair
// first, then the plain pair.
func wrkPairs(ctx context.Context, o Options, srv *server, tr *traffic) ([]ScenarioResult, error) {
	script := filepath.Join(o.StaticDir, "wrk-report.lua")
	if err := os.WriteFile(script, []byte(wrkScript), 0o644); err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	// One signed-in student, as a browser sends its cookies.
	headers := []string{"Cookie: session=" + tr.data.StudentTokens[0] + "; csrf=" + tr.visitor,
		"Accept: text/html,application/xhtml+xml"}
	var out []ScenarioResult
	for _, pair := range []struct {
		portal, static, encoding string
	}{{ScenarioReaderWrk, ScenarioStaticWrk, "gzip"}, {ScenarioReaderWrkPlain, ScenarioStaticWrkPlain, ""}} {
		h := headers
		if pair.encoding != "" {
			h = append(append([]string{}, headers...), "Accept-Encoding: "+pair.encoding)
		}
		for _, target := range []struct {
			name, url string
			srv       *server
		}{{pair.portal, srv.base + tr.readerPath, srv}, {pair.static, o.CeilingURL, nil}} {
			res, err := wrkMeasure(ctx, o, target.srv, script, target.name, target.url, h)
			if err != nil {
				return nil, err
			}
			res.Note = "wrk, one student, Accept-Encoding: " + orDash(pair.encoding)
			o.progressf("bench: %-16s %s\n", target.name, summary(res))
			out = append(out, res)
		}
	}
	return out, nil
}

// wrkMeasure warms the target up, then measures it with wrk; srv is nil
// for the static server, whose queries and memory are not the portal's.
func wrkMeasure(ctx context.Context, o Options, srv *server, script, name, url string, headers []string) (ScenarioResult, error) {
	res := ScenarioResult{Name: name, Request: "GET " + url + " (wrk)", Concurrency: o.Concurrency,
		Ceiling: srv == nil, Available: true}
	if o.Warmup > 0 {
		if _, err := runWrk(ctx, o, script, url, headers, o.Warmup); err != nil {
			return res, err
		}
	}
	var q0 int64
	var counted bool
	var rssStart int64
	if srv != nil {
		q0, counted = srv.queries()
		rssStart = srv.rss.startWindow()
	}
	w, err := runWrk(ctx, o, script, url, headers, o.Duration)
	if err != nil {
		return res, err
	}
	res.Requests = w.Requests
	res.Errors = w.StatusErrors + w.Connect + w.Read + w.Write + w.Timeout
	if w.DurationUS > 0 {
		res.RPS = float64(w.Requests) / (float64(w.DurationUS) / 1e6)
	}
	ms := func(us int64) float64 { return float64(us) / 1000 }
	res.P50MS, res.P90MS, res.P99MS, res.MaxMS = ms(w.P50), ms(w.P90), ms(w.P99), ms(w.Max)
	if w.Requests > 0 {
		res.AvgResponseBytes = float64(w.Bytes) / float64(w.Requests)
	}
	res.Statuses = map[string]int64{"2xx_3xx": w.Requests - w.StatusErrors, "other": w.StatusErrors}
	if srv == nil {
		return res, nil
	}
	if q1, ok := srv.queries(); counted && ok && w.Requests > 0 {
		res.QueriesPerRequest = ptr(float64(q1-q0) / float64(w.Requests))
	}
	if rssStart > 0 {
		peak := srv.rss.windowPeak()
		res.RSSStartMB, res.RSSPeakMB, res.RSSGrowthMB = ptr(mb(rssStart)), ptr(mb(peak)), ptr(mb(peak-rssStart))
	}
	return res, nil
}

// runWrk runs wrk once and reads the report its done() hook printed.
func runWrk(ctx context.Context, o Options, script, url string, headers []string, d time.Duration) (*wrkReport, error) {
	secs := max(1, int(d.Round(time.Second)/time.Second))
	args := []string{"-t", strconv.Itoa(min(wrkThreads, o.Concurrency)), "-c", strconv.Itoa(o.Concurrency),
		"-d", strconv.Itoa(secs) + "s", "--timeout", "10s", "-s", script}
	for _, h := range headers {
		args = append(args, "-H", h)
	}
	args = append(args, url)
	cmd := exec.CommandContext(ctx, o.Wrk, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("bench: wrk %s: %w: %s", url, err, strings.TrimSpace(stderr.String()))
	}
	_, line, found := strings.Cut(stdout.String(), "WRKJSON ")
	if !found {
		return nil, fmt.Errorf("bench: wrk %s printed no report:\n%s", url, stdout.String())
	}
	line, _, _ = strings.Cut(line, "\n")
	var w wrkReport
	if err := json.Unmarshal([]byte(line), &w); err != nil {
		return nil, fmt.Errorf("bench: wrk's report: %w", err)
	}
	return &w, nil
}
