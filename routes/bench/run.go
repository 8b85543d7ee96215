package bench

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"time"

	"courseportal/migrations"
	"courseportal/models"

	"github.com/valyala/fasthttp"
	"gorm.io/gorm"
)

// quiet discards the store's and the migrations' logs.
var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// Run seeds the scratch database, starts the server, runs the scenarios one
// after the other, prints the table to stdout and returns the report (also
// written to opts.JSONPath when set).
func Run(ctx context.Context, opts Options, stdout io.Writer) (*Report, error) {
	o, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "courseportal-bench-")
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	dbURL := o.DatabaseURL
	if dbURL == "" {
		dbURL = "sqlite:" + filepath.Join(tmp, "bench.db")
	}
	if o.KeepDatabase && o.DatabaseURL == "" {
		o.progressf("bench: keeping the SQLite database and server log in %s\n", tmp)
	} else {
		defer func() {
			if err := os.RemoveAll(tmp); err != nil {
				o.progressf("bench: unable to remove the scratch folder: %v\n", err)
			}
		}()
	}
	dialect, err := models.DialectOf(dbURL)
	if err != nil {
		return nil, err
	}
	rep := &Report{Label: o.Label, Database: string(dialect), Students: o.Students, Concurrency: o.Concurrency,
		JoinConcurrency: o.JoinConcurrency, DurationSeconds: o.Duration.Seconds(), WarmupSeconds: o.Warmup.Seconds(),
		CPUs: runtime.NumCPU(), GoVersion: runtime.Version(), StartedAt: time.Now().UTC().Truncate(time.Second)}
	if rep.Label == "" {
		rep.Label = rep.Database
	}
	o.progressf("bench: seeding %d students into a scratch %s database…\n", o.Students, dialect)
	started := time.Now()
	data, err := prepare(ctx, dbURL, o.Students)
	if err != nil {
		return nil, err
	}
	rep.SeedSeconds = time.Since(started).Seconds()
	var ceilings []ScenarioResult
	if o.wants(ScenarioJoin) {
		o.progressf("bench: ceiling of join: argon2id hashing in this process…\n")
		ceilings = append(ceilings, argonCeiling(ctx, o.JoinConcurrency, min(o.Duration, 3*time.Second)))
	}
	srv, startup, err := startServer(ctx, o, dbURL, tmp)
	if err != nil {
		return nil, err
	}
	stopped := false
	defer func() {
		if !stopped {
			srv.stop()
		}
	}()
	rep.StartupMS = float64(startup.Microseconds()) / 1000
	o.progressf("bench: seeded in %.1f s; server ready in %.0f ms at %s\n", rep.SeedSeconds, rep.StartupMS, srv.base)
	results, tr, err := runScenarios(ctx, o, srv, data, dbURL, func() (ScenarioResult, error) {
		return runPgbench(ctx, o, dbURL, tmp, data)
	})
	if err != nil {
		return nil, err
	}
	rep.Scenarios = slices.Concat(results, ceilings)
	if o.CeilingURL != "" {
		res, err := runCeiling(ctx, o, srv, data)
		if err != nil {
			return nil, err
		}
		rep.Scenarios = append(rep.Scenarios, res)
	}
	if o.Wrk != "" && o.CeilingURL != "" && o.StaticDir != "" {
		pairs, err := wrkPairs(ctx, o, srv, tr)
		if err != nil {
			return nil, err
		}
		rep.Scenarios = append(rep.Scenarios, pairs...)
	}
	rep.ServerPeakRSSMB = mb(srv.stop())
	stopped = true
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := rep.WriteTable(stdout); err != nil {
		return nil, err
	}
	if o.JSONPath != "" {
		if err := writeJSON(o.JSONPath, rep); err != nil {
			return nil, err
		}
	}
	return rep, nil
}

// prepare opens the scratch database, refuses one with real data, migrates
// it, marks it as the benchmark's (or wipes an earlier run) and seeds it.
func prepare(ctx context.Context, dbURL string, students int) (_ *seeded, err error) {
	db, dialect, closeDB, err := openScratch(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer closeDB(&err)
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	marked, err := checkScratch(ctx, sqlDB, dialect)
	if err != nil {
		return nil, err
	}
	if err := migrations.Up(ctx, sqlDB, migrations.Dialect(dialect), quiet); err != nil {
		return nil, err
	}
	if marked {
		err = wipe(ctx, sqlDB, dialect)
	} else {
		err = markScratch(ctx, sqlDB, dialect)
	}
	if err != nil {
		return nil, err
	}
	return seedData(ctx, sqlDB, dialect, students)
}

// openScratch opens the scratch database; closeDB closes it and, when the
// close fails, sets *err unless it holds an error already: the server opens
// the same database, so a failed close is reported, not dropped.
func openScratch(ctx context.Context, dbURL string) (db *gorm.DB, dialect models.Dialect, closeDB func(*error), err error) {
	db, dialect, err = models.OpenDatabase(ctx, dbURL, quiet)
	if err != nil {
		return nil, "", nil, err
	}
	closeDB = func(err *error) {
		sqlDB, derr := db.DB()
		if derr == nil {
			derr = sqlDB.Close()
		}
		if derr != nil && *err == nil {
			*err = fmt.Errorf("bench: unable to close the scratch database: %w", derr)
		}
	}
	return db, dialect, closeDB, nil
}

// runScenarios runs the asked-for scenarios in their fixed order, and
// pgbench right after the progress scenario when Options.Pgbench is set.
// dbURL is the scratch database, whose insight triggers ScenarioCounters
// switches.
func runScenarios(ctx context.Context, o Options, srv *server, data *seeded, dbURL string,
	pgbench func() (ScenarioResult, error)) ([]ScenarioResult, *traffic, error) {
	tr, err := newTraffic(srv.base, data, strconv.FormatInt(time.Now().UnixNano(), 36), o.Concurrency)
	if err != nil {
		return nil, nil, err
	}
	client := newClient(srv.base[len("http://"):], max(o.Concurrency, o.JoinConcurrency)+4)
	if o.StaticDir != "" {
		if err := saveReaderPage(ctx, tr, o.StaticDir); err != nil {
			return nil, nil, err
		}
	}
	defs := tr.scenarios(o)
	var results []ScenarioResult
	for _, name := range AllScenarios {
		if !o.wants(name) || ctx.Err() != nil {
			continue
		}
		sc, rate := defs[name], 0.0
		if name == ScenarioCounters {
			res, err := measureCounters(ctx, o, srv, client, defs[ScenarioProgress], dbURL)
			if err != nil {
				return nil, nil, err
			}
			for _, r := range res {
				o.progressf("bench: %-11s %s\n", r.Name, summary(r))
			}
			results = append(results, res...)
			continue
		}
		if name == ScenarioReaderHalf {
			reader := findResult(results, ScenarioReader)
			if reader == nil || !reader.Available || reader.RPS == 0 {
				results = append(results, ScenarioResult{Name: name, Request: sc.request,
					Note: "needs the reader scenario's rate; run it too"})
				continue
			}
			rate = reader.RPS / 2
		}
		res := measure(ctx, o, srv, client, sc, rate)
		results = append(results, res)
		o.progressf("bench: %-11s %s\n", name, summary(res))
		if !srv.alive() {
			return nil, nil, fmt.Errorf("bench: the server died during %s:\n%s", name, srv.logTail())
		}
		if name == ScenarioProgress && o.Pgbench != "" {
			res, err := pgbench()
			if err != nil {
				return nil, nil, err
			}
			o.progressf("bench: %-11s %s\n", ScenarioPgbench, summary(res))
			results = append(results, res)
		}
	}
	return results, tr, nil
}

// runCeiling drives the static copy of the reader page with the reader's
// client settings and concurrency.
func runCeiling(ctx context.Context, o Options, srv *server, data *seeded) (ScenarioResult, error) {
	u, err := url.Parse(o.CeilingURL)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return ScenarioResult{}, fmt.Errorf("bench: --ceiling-url must be an http:// URL, got %q", o.CeilingURL)
	}
	tr, err := newTraffic(srv.base, data, "", o.Concurrency)
	if err != nil {
		return ScenarioResult{}, err
	}
	res := measure(ctx, o, nil, newClient(u.Host, o.Concurrency+4), tr.static(o.CeilingURL), 0)
	o.progressf("bench: %-11s %s\n", ScenarioStatic, summary(res))
	return res, nil
}

// measure probes the scenario once, warms it up, then measures it. srv is
// nil for a ceiling, which runs elsewhere.
func measure(ctx context.Context, o Options, srv *server, client *fasthttp.HostClient, sc *scenario, rate float64) ScenarioResult {
	res := ScenarioResult{Name: sc.name, Request: sc.request, Concurrency: sc.conc, TargetRate: rate, Ceiling: sc.ceiling}
	status, detail, lines := probe(client, sc)
	if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
		res.Note = fmt.Sprintf("%s answered %d", sc.request, status)
		return res
	}
	res.Available = true
	if sc.csv && lines > 0 {
		res.CSVRows = int64(lines - 1)
	}
	if status != sc.expect {
		res.Note = fmt.Sprintf("a probe answered %d where %d was expected: %s", status, sc.expect, oneLine(detail))
	}
	j := job{client: client, conc: sc.conc, rate: rate, fill: sc.fill}
	if o.Warmup > 0 {
		j.run(ctx, o.Warmup, 1)
	}
	var q0 int64
	var counted bool
	var rssStart int64
	if srv != nil {
		q0, counted = srv.queries()
		rssStart = srv.rss.startWindow()
	}
	t := j.run(ctx, o.Duration, 1<<20)
	res.fromTally(t)
	if srv == nil {
		return res
	}
	if q1, ok := srv.queries(); counted && ok && t.requests > 0 {
		res.QueriesPerRequest = ptr(float64(q1-q0) / float64(t.requests))
	}
	if rssStart > 0 {
		peak := srv.rss.windowPeak()
		res.RSSStartMB, res.RSSPeakMB, res.RSSGrowthMB = ptr(mb(rssStart)), ptr(mb(peak)), ptr(mb(peak-rssStart))
	}
	return res
}

// probe sends one request and returns its status, a description and the
// number of lines of the body.
func probe(client *fasthttp.HostClient, sc *scenario) (status int, detail string, lines int) {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	sc.fill(req, 0, 0)
	if err := client.Do(req, resp); err != nil {
		return 0, describeFailure(req, resp, 0, err), 0
	}
	body := resp.Body()
	if string(resp.Header.ContentEncoding()) == "gzip" {
		if b, err := resp.BodyGunzip(); err == nil {
			body = b
		}
	}
	lines = bytes.Count(body, []byte("\n"))
	return resp.StatusCode(), describeFailure(req, resp, resp.StatusCode(), nil), lines
}

// saveReaderPage writes the reader page, exactly as the portal renders it
// for a student, to dir/reader.html, and the same bytes compressed at gzip's
// best level to dir/reader.html.gz, which a static server configured to
// send precompressed files (nginx's gzip_static) sends as they are.
func saveReaderPage(ctx context.Context, tr *traffic, dir string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, tr.base+tr.readerPath, nil)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	req.Header.Set("Cookie", "session="+tr.data.StudentTokens[0]+"; csrf="+tr.visitor)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("bench: reader page: %w", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return fmt.Errorf("bench: reader page answered %d (%v)", resp.StatusCode, err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "reader.html"), body, 0o644); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if _, err := zw.Write(body); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := zw.Close(); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "reader.html.gz"), gz.Bytes(), 0o644); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	return nil
}

func findResult(results []ScenarioResult, name string) *ScenarioResult {
	for i := range results {
		if results[i].Name == name {
			return &results[i]
		}
	}
	return nil
}

// summary is a scenario's progress line.
func summary(r ScenarioResult) string {
	if !r.Available {
		return "not available: " + r.Note
	}
	return fmt.Sprintf("%d requests, %.1f/s, p50 %.1f ms, p99 %.1f ms, %d errors", r.Requests, r.RPS, r.P50MS, r.P99MS, r.Errors)
}
