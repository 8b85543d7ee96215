package bench

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
)

// defaultDuration is the measured time of each scenario.
const defaultDuration = 10 * time.Second

// Scenario names, in the order they run.
const (
	ScenarioReader     = "reader"
	ScenarioReaderHalf = "reader-half"
	ScenarioCourse     = "course"
	ScenarioDashboard  = "dashboard"
	ScenarioRoster     = "roster"
	ScenarioRosterCSV  = "roster-csv"
	// The insight pages of the seeded reading and cohort, as staff see them.
	ScenarioInsight       = "insight"
	ScenarioInsightCohort = "insight-cohort"
	ScenarioProgress      = "progress"
	// ScenarioCounters (counters.go) is the progress scenario again, the
	// insight counters on and off in turns.
	ScenarioJoin = "join"
	// Ceilings: what the same client gets from something simpler.
	ScenarioStatic = "static"
	ScenarioArgon  = "argon2id"
)

// AllScenarios lists the server scenarios in the order they run: reads
// first, then writes, so the reads see the seeded data as seeded.
var AllScenarios = []string{ScenarioReader, ScenarioReaderHalf, ScenarioCourse, ScenarioDashboard,
	ScenarioRoster, ScenarioRosterCSV, ScenarioInsight, ScenarioInsightCohort, ScenarioProgress, ScenarioCounters, ScenarioJoin}

// insightConcurrency is the staff views at once of the insight scenarios:
// a whole teaching team looking, not the class.
const insightConcurrency = 16

// Options configure one benchmark run.
type Options struct {
	// DatabaseURL is the scratch database; empty means a new SQLite file in a
	// temporary folder, removed afterwards unless KeepDatabase.
	DatabaseURL  string
	KeepDatabase bool
	// Students is how many synthetic students are seeded into one cohort.
	Students int
	// Concurrency is the number of signed-in clients of most scenarios.
	Concurrency int
	// JoinConcurrency is the number of clients joining at once.
	JoinConcurrency int
	// Duration is the measured time of each scenario, after Warmup.
	Duration time.Duration
	Warmup   time.Duration
	// Scenarios to run (names from AllScenarios); empty means all.
	Scenarios []string
	// JSONPath, when set, receives the report as JSON.
	JSONPath string
	// Label names the run in reports ("sqlite", "postgres-100k"); defaults to
	// the database kind.
	Label string
	// StaticDir, when set, receives the reader page's exact HTML as
	// reader.html, for a static server to serve as the ceiling.
	StaticDir string
	// CeilingURL, when set, is driven with the reader scenario's client and
	// concurrency: the static ceiling.
	CeilingURL string
	// Wrk, when set with StaticDir and CeilingURL, is the path of wrk, which
	// then drives the reader page and its static copy back to back, with
	// and without gzip (ScenarioReaderWrk and the three beside it).
	Wrk string
	// Pgbench, when set on PostgreSQL, is the path of pgbench, which then
	// runs the statements of a progress update right after the progress
	// scenario (ScenarioPgbench).
	Pgbench string
	// Executable is the binary run as the server with ServerArgs and
	// ServerEnv added to this process's environment; by default this very
	// binary with "bench serve" (the server with its query counter).
	Executable string
	ServerArgs []string
	ServerEnv  []string
	// ServerLog receives the server's standard error; by default a file in
	// a temporary folder whose tail is shown when the server fails.
	ServerLog string
	// Progress receives one line per step; nil discards them.
	Progress io.Writer
}

// withDefaults fills in the defaults and checks the values.
func (o Options) withDefaults() (Options, error) {
	if o.Students == 0 {
		o.Students = 10000
	}
	if o.Concurrency == 0 {
		o.Concurrency = 64
	}
	if o.JoinConcurrency == 0 {
		o.JoinConcurrency = 20
	}
	if o.Duration == 0 {
		o.Duration = defaultDuration
	}
	if o.Warmup < 0 {
		o.Warmup = 0
	} else if o.Warmup == 0 {
		o.Warmup = min(time.Second, o.Duration/5)
	}
	if len(o.Scenarios) == 0 {
		o.Scenarios = AllScenarios
	}
	if o.Progress == nil {
		o.Progress = io.Discard
	}
	switch {
	case o.Students < 1 || o.Students > 10_000_000:
		return o, fmt.Errorf("bench: --students must be between 1 and 10000000, got %d", o.Students)
	case o.Concurrency < 1 || o.Concurrency > 4096:
		return o, fmt.Errorf("bench: --concurrency must be between 1 and 4096, got %d", o.Concurrency)
	case o.JoinConcurrency < 1 || o.JoinConcurrency > 4096:
		return o, fmt.Errorf("bench: --join-concurrency must be between 1 and 4096, got %d", o.JoinConcurrency)
	case o.Duration < 100*time.Millisecond || o.Duration > time.Hour:
		return o, fmt.Errorf("bench: --duration must be between 100ms and 1h, got %s", o.Duration)
	}
	if o.Pgbench != "" && !strings.HasPrefix(o.DatabaseURL, "postgres") {
		return o, fmt.Errorf("bench: --pgbench needs a PostgreSQL --database-url")
	}
	for _, s := range o.Scenarios {
		if !slices.Contains(AllScenarios, s) {
			return o, fmt.Errorf("bench: unknown scenario %q (known: %s)", s, strings.Join(AllScenarios, ", "))
		}
	}
	return o, nil
}

// wants reports whether a scenario was asked for.
func (o Options) wants(name string) bool { return slices.Contains(o.Scenarios, name) }

// progressf writes one progress line. The lines only narrate the run, so a
// failed write is not worth stopping a measurement for and is dropped.
func (o Options) progressf(format string, args ...any) {
	_, _ = fmt.Fprintf(o.Progress, format, args...)
}
