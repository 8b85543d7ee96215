package bench

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
)

// Comparison puts runs side by side with their ceilings: each portal
// scenario's rate as a share of what something simpler achieves with the
// same client on the same machine, and the targets checked.
type Comparison struct {
	Ceilings Ceilings      `json:"ceilings"`
	Rows     []ComparedRow `json:"rows"`
	Targets  []TargetCheck `json:"targets"`
	Runs     []*Report     `json:"runs"`
}

// Ceilings are the reference rates.
type Ceilings struct {
	// StaticRPS is a static server (nginx) serving the reader page's HTML.
	StaticRPS float64 `json:"static_rps"`
	// PgbenchTPS is pgbench running the progress upsert transaction.
	PgbenchTPS float64 `json:"pgbench_tps"`
	// Argon2RPS is password hashing at the join concurrency.
	Argon2RPS float64 `json:"argon2_rps"`
}

// ComparedRow is one scenario of one run with its ceiling.
type ComparedRow struct {
	Run      string         `json:"run"`
	Database string         `json:"database"`
	Students int            `json:"students"`
	Result   ScenarioResult `json:"result"`
	Ceiling  string         `json:"ceiling,omitempty"`
	// Ratio is the scenario's rate over its ceiling's.
	Ratio *float64 `json:"ratio,omitempty"`
	// VsPostgres is, for SQLite, the rate over PostgreSQL's in the run of
	// the same size.
	VsPostgres *float64 `json:"vs_postgres,omitempty"`
}

// TargetCheck is one target of the issue; OK is nil when not measured.
type TargetCheck struct {
	Target   string `json:"target"`
	Measured string `json:"measured"`
	OK       *bool  `json:"ok"`
}

// ceilingOf names which ceiling a scenario is compared with.
var ceilingOf = map[string]string{
	ScenarioReader: "static", ScenarioCourse: "static", ScenarioDashboard: "static", ScenarioRoster: "static",
	ScenarioProgress: "pgbench", ScenarioJoin: "argon2id",
	// wrk's pairs: the static copy driven the same way in the same run.
	ScenarioReaderWrk: ScenarioStaticWrk, ScenarioReaderWrkPlain: ScenarioStaticWrkPlain,
}

func reportCommand(args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench report", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	tps := fs.Float64("pgbench-tps", 0, "")
	jsonPath := fs.String("json", "", "")
	if err := fs.Parse(args); err != nil || fs.NArg() == 0 {
		return errors.New("usage: courseportal bench report [--pgbench-tps TPS] [--json FILE] RUN.json [RUN.json ...]")
	}
	var reports []*Report
	for _, path := range fs.Args() {
		r, err := readReport(path)
		if err != nil {
			return err
		}
		reports = append(reports, r)
	}
	c := Compare(reports, *tps)
	if err := c.WriteTable(stdout); err != nil {
		return err
	}
	if *jsonPath != "" {
		return writeJSON(*jsonPath, c)
	}
	return nil
}

// Compare relates runs to the ceilings found in them and to pgbenchTPS.
func Compare(runs []*Report, pgbenchTPS float64) *Comparison {
	c := &Comparison{Runs: runs, Ceilings: Ceilings{PgbenchTPS: pgbenchTPS}}
	for _, r := range runs {
		if s := r.Scenario(ScenarioPgbench); s != nil && s.Available && s.RPS > 0 {
			c.Ceilings.PgbenchTPS = s.RPS
		}
		if s := r.Scenario(ScenarioStatic); s != nil && s.Available && c.Ceilings.StaticRPS == 0 {
			c.Ceilings.StaticRPS = s.RPS
		}
		if s := r.Scenario(ScenarioArgon); s != nil && c.Ceilings.Argon2RPS == 0 {
			c.Ceilings.Argon2RPS = s.RPS
		}
	}
	for _, r := range runs {
		pg := postgresTwin(runs, r)
		for _, s := range r.Scenarios {
			row := ComparedRow{Run: r.Label, Database: r.Database, Students: r.Students, Result: s}
			// A paced scenario's rate is its target, not a measure.
			if s.Available && !s.Ceiling && s.TargetRate == 0 {
				row.Ceiling = ceilingOf[s.Name]
				if ref := c.ceilingRate(r, row.Ceiling); ref > 0 {
					row.Ratio = ptr(s.RPS / ref)
				}
				if pg != nil {
					if ps := pg.Scenario(s.Name); ps != nil && ps.Available && ps.RPS > 0 {
						row.VsPostgres = ptr(s.RPS / ps.RPS)
					}
				}
			}
			c.Rows = append(c.Rows, row)
		}
	}
	c.Targets = checkTargets(runs, c.Ceilings)
	return c
}

// ceilingRate is a ceiling's rate; argon2id is taken from the same run.
func (c *Comparison) ceilingRate(r *Report, name string) float64 {
	switch name {
	case "static":
		return c.Ceilings.StaticRPS
	case "pgbench":
		return c.Ceilings.PgbenchTPS
	case "argon2id":
		if s := r.Scenario(ScenarioArgon); s != nil {
			return s.RPS
		}
		return c.Ceilings.Argon2RPS
	}
	if s := scenarioOf(r, name); s != nil {
		return s.RPS
	}
	return 0
}

// postgresTwin is, for an SQLite run, the PostgreSQL run of the same size.
func postgresTwin(runs []*Report, r *Report) *Report {
	if r.Database == "postgres" {
		return nil
	}
	for _, p := range runs {
		if p.Database == "postgres" && p.Students == r.Students {
			return p
		}
	}
	return nil
}

// WriteTable prints the runs with their ceilings, ratios and targets.
func (c *Comparison) WriteTable(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "ceilings: static reader page %s req/s · pgbench progress update %s tx/s · argon2id %s hashes/s\n",
		rate(c.Ceilings.StaticRPS), rate(c.Ceilings.PgbenchTPS), rate(c.Ceilings.Argon2RPS))
	fmt.Fprintln(&b, "(a 2-core machine shared by the load generator, the portal, PostgreSQL and nginx, and perhaps by other work:"+
		" runs vary by ±20 % or more; each ratio compares two measures taken back to back in one run)")
	fmt.Fprintln(&b)
	fmt.Fprintf(&b, "%-14s %-21s %7s %9s %8s %8s %8s %6s %6s %7s %7s %-16s %7s %6s\n", "run", "scenario", "clients",
		"req/s", "p50 ms", "p90 ms", "p99 ms", "errors", "q/req", "RSS MB", "+RSS MB", "ceiling", "ratio", "vs PG")
	for _, row := range c.Rows {
		s := row.Result
		name := s.Name
		if s.Ceiling {
			name = "(" + s.Name + ")"
		}
		if !s.Available {
			fmt.Fprintf(&b, "%-14s %-21s %7s  not available: %s\n", row.Run, name, "-", s.Note)
			continue
		}
		fmt.Fprintf(&b, "%-14s %-21s %7d %9.1f %8.1f %8.1f %8.1f %6d %6s %7s %7s %-16s %7s %6s\n", row.Run, name,
			s.Concurrency, s.RPS, s.P50MS, s.P90MS, s.P99MS, s.Errors, optional(s.QueriesPerRequest, 1),
			optional(s.RSSPeakMB, 1), optional(s.RSSGrowthMB, 1), orDash(row.Ceiling), percent(row.Ratio),
			times(row.VsPostgres))
	}
	fmt.Fprintln(&b)
	for _, r := range c.Runs {
		fmt.Fprintf(&b, "%-14s %s, %d students, %d clients, %gs per scenario: seeded in %.1f s, start-up %.0f ms, server peak RSS %.1f MB\n",
			r.Label, r.Database, r.Students, r.Concurrency, r.DurationSeconds, r.SeedSeconds, r.StartupMS, r.ServerPeakRSSMB)
	}
	fmt.Fprintln(&b, "\ntargets:")
	for _, t := range c.Targets {
		mark := "n/a "
		switch {
		case t.OK == nil && !strings.HasPrefix(t.Measured, "not "):
			mark = "info"
		case t.OK != nil && *t.OK:
			mark = "ok  "
		case t.OK != nil:
			mark = "MISS"
		}
		fmt.Fprintf(&b, "  %s %-58s %s\n", mark, t.Target, t.Measured)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func rate(v float64) string {
	if v == 0 {
		return "?"
	}
	return fmt.Sprintf("%.0f", v)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func percent(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *v*100)
}

func times(v *float64) string {
	if v == nil {
		return "-"
	}
	return fmt.Sprintf("%.2fx", *v)
}

// checkTargets evaluates the targets on the runs at hand.
func checkTargets(runs []*Report, ceil Ceilings) []TargetCheck {
	pg := pickRun(runs, "postgres", ScenarioReader, 0)
	var out []TargetCheck
	add := func(target, measured string, ok *bool) {
		out = append(out, TargetCheck{Target: target, Measured: measured, OK: ok})
	}
	check := func(v bool) *bool { return &v }
	wrkRun := pickRun(runs, "postgres", ScenarioReaderWrk, 0)
	for _, pair := range []struct{ portal, static, target string }{
		{ScenarioReaderWrk, ScenarioStaticWrk, "PG reader ≥ 10 % of nginx precompressed (gzip, wrk)"},
		{ScenarioReaderWrkPlain, ScenarioStaticWrkPlain, "PG reader vs nginx, no compression (wrk)"},
	} {
		s, ceiling := scenarioOf(wrkRun, pair.portal), scenarioOf(wrkRun, pair.static)
		if s == nil || ceiling == nil || ceiling.RPS == 0 {
			add(pair.target, "not measured", nil)
			continue
		}
		r := s.RPS / ceiling.RPS
		var ok *bool
		if pair.portal == ScenarioReaderWrk {
			ok = check(r >= 0.10)
		}
		add(pair.target, fmt.Sprintf("%.1f%% (%.0f of %.0f req/s; p99 %.1f vs %.1f ms)", r*100, s.RPS, ceiling.RPS,
			s.P99MS, ceiling.P99MS), ok)
	}
	if s := scenarioOf(pg, ScenarioReader); s != nil && ceil.StaticRPS > 0 {
		r := s.RPS / ceil.StaticRPS
		add("PG reader ≥ 15 % of the static ceiling", fmt.Sprintf("%.1f%% (%.0f of %.0f req/s)", r*100, s.RPS, ceil.StaticRPS), check(r >= 0.15))
	} else {
		add("PG reader ≥ 15 % of the static ceiling", "not measured", nil)
	}
	if s := scenarioOf(pg, ScenarioReaderHalf); s != nil {
		add("PG reader p99 < 25 ms at half that rate", fmt.Sprintf("p99 %.1f ms at %.0f req/s", s.P99MS, s.TargetRate), check(s.P99MS < 25))
	} else {
		add("PG reader p99 < 25 ms at half that rate", "not measured", nil)
	}
	if s := scenarioOf(pg, ScenarioProgress); s != nil && ceil.PgbenchTPS > 0 {
		r := s.RPS / ceil.PgbenchTPS
		add("PG progress ≥ 60 % of pgbench's TPS", fmt.Sprintf("%.1f%% (%.0f of %.0f/s)", r*100, s.RPS, ceil.PgbenchTPS), check(r >= 0.6))
	} else {
		add("PG progress ≥ 60 % of pgbench's TPS", "not measured", nil)
	}
	out = append(out, counterCosts(runs)...)
	if s := scenarioOf(pg, ScenarioJoin); s != nil {
		add(fmt.Sprintf("PG join p99 < 500 ms at %d concurrent joins", s.Concurrency), fmt.Sprintf("p99 %.0f ms", s.P99MS), check(s.P99MS < 500))
	} else {
		add("PG join p99 < 500 ms at 20 concurrent joins", "not measured", nil)
	}
	roster := pickRun(runs, "postgres", ScenarioRoster, 10000)
	if s := scenarioOf(roster, ScenarioRoster); s != nil {
		add("PG roster first page, cohort of 10,000: p99 < 50 ms",
			fmt.Sprintf("p99 %.1f ms (cohort of %d)", s.P99MS, roster.Students), check(s.P99MS < 50 && roster.Students >= 10000))
	} else {
		add("PG roster first page, cohort of 10,000: p99 < 50 ms", "not available", nil)
	}
	for _, name := range []string{ScenarioInsight, ScenarioInsightCohort} {
		target := fmt.Sprintf("PG %s page, cohort of 10,000, 16 staff views: p99 < 50 ms", name)
		run := pickRun(runs, "postgres", name, 10000)
		if s := scenarioOf(run, name); s != nil {
			add(target, fmt.Sprintf("p99 %.1f ms (cohort of %d)", s.P99MS, run.Students), check(s.P99MS < 50 && run.Students >= 10000))
		} else {
			add(target, "not available", nil)
		}
	}
	big := pickRun(runs, "postgres", ScenarioRosterCSV, 100000)
	if s := scenarioOf(big, ScenarioRosterCSV); s != nil && big.Students >= 100000 {
		add("PG CSV of 100,000 rows in < 3 s", fmt.Sprintf("slowest of %d exports of %d rows: %.0f ms", s.Requests, s.CSVRows, s.MaxMS),
			check(s.MaxMS < 3000 && s.CSVRows >= 100000))
		if s.RSSGrowthMB != nil {
			add("PG CSV export: server RSS grows < 20 MB", fmt.Sprintf("+%.1f MB", *s.RSSGrowthMB), check(*s.RSSGrowthMB < 20))
		}
	} else {
		add("PG CSV of 100,000 rows in < 3 s", "not available", nil)
	}
	var peak, startup float64
	pgRuns := 0
	for _, r := range runs {
		if r.Database == "postgres" {
			pgRuns++
			peak, startup = max(peak, r.ServerPeakRSSMB), max(startup, r.StartupMS)
		}
	}
	if pgRuns > 0 {
		add("PG server RSS < 100 MB through the run", fmt.Sprintf("peak %.1f MB", peak), check(peak < 100))
		add("PG start-up on an up-to-date database < 300 ms", fmt.Sprintf("slowest %.0f ms", startup), check(startup < 300))
	}
	out = append(out, sqliteVsPostgres(runs)...)
	var errs int64
	for _, r := range runs {
		for _, s := range r.Scenarios {
			errs += s.Errors
		}
	}
	add("no errors in any scenario", fmt.Sprintf("%d errors", errs), check(errs == 0))
	return out
}

// counterCosts checks, on each database, that the insight counters cost a
// progress report at most 15 %: the rate without them over the rate with
// them, in turns of the same run.
func counterCosts(runs []*Report) []TargetCheck {
	var out []TargetCheck
	for _, db := range []struct{ name, label string }{{"postgres", "PG"}, {"sqlite", "SQLite"}} {
		target := db.label + " insight counters cost a progress report ≤ 15 %"
		run := pickRun(runs, db.name, ScenarioCountersOn, 0)
		on, off := scenarioOf(run, ScenarioCountersOn), scenarioOf(run, ScenarioCountersOff)
		if on == nil || off == nil || on.RPS == 0 {
			out = append(out, TargetCheck{Target: target, Measured: "not measured"})
			continue
		}
		cost := off.RPS/on.RPS - 1
		ok := cost <= 0.15
		out = append(out, TargetCheck{Target: target, OK: &ok,
			Measured: fmt.Sprintf("%+.1f%% (%.0f req/s with, %.0f without; p99 %.1f vs %.1f ms)",
				cost*100, on.RPS, off.RPS, on.P99MS, off.P99MS)})
	}
	return out
}

// sqliteVsPostgres checks that SQLite's reads are within 2x of PostgreSQL's
// in rate and p99.
func sqliteVsPostgres(runs []*Report) []TargetCheck {
	const target = "SQLite reads within 2× of PostgreSQL (rate, p99)"
	var worst []string
	ok, measured := true, false
	for _, r := range runs {
		pg := postgresTwin(runs, r)
		if r.Database != "sqlite" || pg == nil {
			continue
		}
		for _, name := range []string{ScenarioReader, ScenarioCourse, ScenarioDashboard, ScenarioRoster} {
			s, p := scenarioOf(r, name), scenarioOf(pg, name)
			if s == nil || p == nil || p.RPS == 0 || p.P99MS == 0 {
				continue
			}
			measured = true
			rr, lr := s.RPS/p.RPS, s.P99MS/p.P99MS
			if rr < 0.5 || lr > 2 {
				ok = false
			}
			worst = append(worst, fmt.Sprintf("%s %.2fx rate, %.2fx p99", name, rr, lr))
		}
	}
	if !measured {
		return []TargetCheck{{Target: target, Measured: "not measured"}}
	}
	return []TargetCheck{{Target: target, Measured: strings.Join(worst, "; "), OK: &ok}}
}

// pickRun is the first run on the database with the scenario available,
// preferring one with exactly the given number of students.
func pickRun(runs []*Report, database, scenario string, students int) *Report {
	var found *Report
	for _, r := range runs {
		if r.Database != database || scenarioOf(r, scenario) == nil {
			continue
		}
		if students > 0 && r.Students == students {
			return r
		}
		if found == nil || (students > 0 && r.Students > found.Students && found.Students < students) {
			found = r
		}
	}
	return found
}

// scenarioOf is a run's available result of a scenario, or nil.
func scenarioOf(r *Report, name string) *ScenarioResult {
	if r == nil {
		return nil
	}
	s := r.Scenario(name)
	if s == nil || !s.Available {
		return nil
	}
	return s
}
