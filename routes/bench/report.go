package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Report is one run: the setting, the server's start-up and memory, and one
// result per scenario. It is printed as a table and written as JSON.
type Report struct {
	Label           string           `json:"label"`
	Database        string           `json:"database"`
	Students        int              `json:"students"`
	Concurrency     int              `json:"concurrency"`
	JoinConcurrency int              `json:"join_concurrency"`
	DurationSeconds float64          `json:"duration_seconds"`
	WarmupSeconds   float64          `json:"warmup_seconds"`
	SeedSeconds     float64          `json:"seed_seconds"`
	StartupMS       float64          `json:"startup_ms"`
	ServerPeakRSSMB float64          `json:"server_peak_rss_mb"`
	CPUs            int              `json:"cpus"`
	GoVersion       string           `json:"go_version"`
	StartedAt       time.Time        `json:"started_at"`
	Scenarios       []ScenarioResult `json:"scenarios"`
}

// ScenarioResult is what one scenario measured. Latencies are from sending
// the request to reading the last byte of the answer.
type ScenarioResult struct {
	Name      string `json:"name"`
	Request   string `json:"request"`
	Available bool   `json:"available"`
	// Ceiling is true for what the portal is compared with (a static
	// server, password hashing), which does not run on the portal.
	Ceiling     bool    `json:"ceiling,omitempty"`
	Note        string  `json:"note,omitempty"`
	Concurrency int     `json:"concurrency"`
	TargetRate  float64 `json:"target_rate,omitempty"`
	Requests    int64   `json:"requests"`
	Errors      int64   `json:"errors"`
	RPS         float64 `json:"requests_per_second"`
	P50MS       float64 `json:"p50_ms"`
	P90MS       float64 `json:"p90_ms"`
	P99MS       float64 `json:"p99_ms"`
	MaxMS       float64 `json:"max_ms"`
	// QueriesPerRequest is nil when the server does not count queries.
	QueriesPerRequest *float64 `json:"queries_per_request"`
	// Server memory: resident at the start of the measured phase, its peak
	// during it, and the difference.
	RSSStartMB       *float64 `json:"rss_start_mb"`
	RSSPeakMB        *float64 `json:"rss_peak_mb"`
	RSSGrowthMB      *float64 `json:"rss_growth_mb"`
	AvgResponseBytes float64  `json:"avg_response_bytes"`
	// CSVRows is the number of data rows of one export (counted once).
	CSVRows     int64            `json:"csv_rows,omitempty"`
	Statuses    map[string]int64 `json:"statuses"`
	ErrorSample string           `json:"error_sample,omitempty"`
}

// Scenario returns the named result, or nil.
func (r *Report) Scenario(name string) *ScenarioResult {
	for i := range r.Scenarios {
		if r.Scenarios[i].Name == name {
			return &r.Scenarios[i]
		}
	}
	return nil
}

// fromTally fills the measured numbers.
func (s *ScenarioResult) fromTally(t *tally) {
	s.Requests, s.Errors = t.requests, t.errors
	if t.elapsed > 0 {
		s.RPS = float64(t.requests) / t.elapsed.Seconds()
	}
	s.P50MS, s.P90MS, s.P99MS = percentile(t.lat, 50), percentile(t.lat, 90), percentile(t.lat, 99)
	s.MaxMS = percentile(t.lat, 100)
	if t.requests > 0 {
		s.AvgResponseBytes = float64(t.bytes) / float64(t.requests)
	}
	s.Statuses = map[string]int64{}
	for code, n := range t.statuses {
		key := strconv.Itoa(code)
		if code == 0 {
			key = "transport_error"
		}
		s.Statuses[key] = n
	}
	s.ErrorSample = t.sample
}

func mb(bytes int64) float64 { return float64(bytes) / (1 << 20) }

func ptr(v float64) *float64 { return &v }

// WriteTable prints the report as a fixed-width table.
func (r *Report) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "courseportal bench: %s (%s), %d students, %d clients (join %d), %s per scenario after %s warm-up, %d CPUs\n",
		r.Label, r.Database, r.Students, r.Concurrency, r.JoinConcurrency,
		seconds(r.DurationSeconds), seconds(r.WarmupSeconds), r.CPUs)
	fmt.Fprintf(&b, "seeded in %.1f s · server start-up %.0f ms · server peak RSS %.1f MB\n\n",
		r.SeedSeconds, r.StartupMS, r.ServerPeakRSSMB)
	fmt.Fprintf(&b, "%-21s %7s %9s %9s %8s %8s %8s %7s %7s %8s %8s\n",
		"scenario", "clients", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "errors", "q/req", "RSS MB", "+RSS MB")
	for _, s := range r.Scenarios {
		if !s.Available {
			fmt.Fprintf(&b, "%-21s %7s  not available: %s\n", s.Name, "-", s.Note)
			continue
		}
		fmt.Fprintf(&b, "%-21s %7d %9d %9.1f %8.1f %8.1f %8.1f %7d %7s %8s %8s\n",
			s.Name, s.Concurrency, s.Requests, s.RPS, s.P50MS, s.P90MS, s.P99MS, s.Errors,
			optional(s.QueriesPerRequest, 1), optional(s.RSSPeakMB, 1), optional(s.RSSGrowthMB, 1))
	}
	var notes []string
	for _, s := range r.Scenarios {
		if s.Available && s.Note != "" {
			notes = append(notes, s.Name+": "+s.Note)
		}
		if s.Available && s.CSVRows > 0 {
			notes = append(notes, fmt.Sprintf("%s: %d rows per export, %.0f KB as sent", s.Name, s.CSVRows, s.AvgResponseBytes/1024))
		}
		if s.Available && s.ErrorSample != "" {
			notes = append(notes, s.Name+" first error: "+oneLine(s.ErrorSample))
		}
	}
	sort.Strings(notes)
	for _, n := range notes {
		fmt.Fprintln(&b, "  "+n)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func optional(v *float64, decimals int) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v, 'f', decimals, 64)
}

func seconds(s float64) string { return strconv.FormatFloat(s, 'f', -1, 64) + "s" }

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// writeJSON writes v to path, indented.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

// readReport loads a report written by --json.
func readReport(path string) (*Report, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("bench: %s: %w", path, err)
	}
	return &r, nil
}
