package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"courseportal/migrations"
	"courseportal/models"
	"courseportal/models/testdb"
	"courseportal/routes"
	"courseportal/views"
)

// testServerEnv makes the test binary act as the portal's server, the way
// `courseportal serve` does, so the benchmark can run it as a child.
const testServerEnv = "COURSEPORTAL_BENCH_TEST_SERVER"

func TestMain(m *testing.M) {
	if os.Getenv(testServerEnv) == "1" {
		if err := testServe(); err != nil {
			fmt.Fprintln(os.Stderr, "test server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// testServe mirrors main.go's serve: open, instrument, migrate, listen on
// PORT until SIGTERM.
func testServe() (err error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	db, dialect, err := models.OpenDatabase(ctx, os.Getenv("DATABASE_URL"), log)
	if err != nil {
		return err
	}
	if err := InstrumentFromEnv(db, log); err != nil {
		return err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := sqlDB.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err := migrations.Up(ctx, sqlDB, migrations.Dialect(dialect), log); err != nil {
		return err
	}
	store := models.NewStore(db, dialect, models.SystemClock{})
	renderer, err := views.New()
	if err != nil {
		return err
	}
	signer, err := routes.NewSigner(ctx, store, os.Getenv("BASE_URL"))
	if err != nil {
		return err
	}
	// CLIENT_ATTEMPT_LIMIT=0, as startServer sets: every simulated person
	// comes from one loopback address.
	app := routes.New(routes.Options{Store: store, Views: renderer, Log: log, BaseURL: os.Getenv("BASE_URL"), Signer: signer,
		ClientAttemptLimit: -1})
	errc := make(chan error, 1)
	go func() { errc <- app.Listen("127.0.0.1:" + os.Getenv("PORT")) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	return app.ShutdownWithTimeout(5 * time.Second)
}

// staticServer serves dir on a loopback port, standing in for nginx.
func staticServer(t *testing.T, dir string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(dir)), ReadHeaderTimeout: time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return "http://" + ln.Addr().String() + "/reader.html"
}

func shortOptions(t *testing.T) Options {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return Options{DatabaseURL: testdb.URL(t), Students: 200, Concurrency: 4, JoinConcurrency: 2,
		Duration: 700 * time.Millisecond, Warmup: 100 * time.Millisecond, Label: "test",
		Executable: exe, ServerEnv: []string{testServerEnv + "=1"}, Progress: testWriter{t}}
}

// The whole benchmark, briefly: every scenario runs, or is reported not
// available when its route does not exist yet, and none fails.
func TestRunEveryScenario(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server and loads it for about ten seconds")
	}
	o := shortOptions(t)
	o.StaticDir = t.TempDir()
	o.CeilingURL = staticServer(t, o.StaticDir)
	o.JSONPath = filepath.Join(t.TempDir(), "bench.json")
	var table bytes.Buffer
	rep, err := Run(context.Background(), o, &table)
	if err != nil {
		t.Fatal(err)
	}
	t.Log("\n" + table.String())
	if rep.StartupMS <= 0 || rep.SeedSeconds <= 0 {
		t.Errorf("start-up %v ms, seeding %v s: want both measured", rep.StartupMS, rep.SeedSeconds)
	}
	if rep.ServerPeakRSSMB <= 0 {
		t.Errorf("server peak RSS %v MB: want it measured", rep.ServerPeakRSSMB)
	}
	want := append(append([]string{}, AllScenarios...), ScenarioArgon, ScenarioStatic, ScenarioCountersOn, ScenarioCountersOff)
	for _, name := range want {
		if name == ScenarioCounters {
			continue // reported as its two settings
		}
		s := rep.Scenario(name)
		if s == nil {
			t.Errorf("%s: missing from the report", name)
			continue
		}
		if !strings.Contains(table.String(), name) {
			t.Errorf("%s: missing from the table", name)
		}
		if !s.Available {
			if name == ScenarioRoster || name == ScenarioRosterCSV {
				t.Logf("%s: %s", name, s.Note)
				continue
			}
			t.Errorf("%s: not available: %s", name, s.Note)
			continue
		}
		checkScenario(t, s)
	}
	var fromJSON Report
	b, err := os.ReadFile(o.JSONPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &fromJSON); err != nil {
		t.Fatal(err)
	}
	if len(fromJSON.Scenarios) != len(rep.Scenarios) || fromJSON.Scenario(ScenarioReader).Requests != rep.Scenario(ScenarioReader).Requests {
		t.Errorf("the JSON does not hold the same numbers as the table")
	}
	html, err := os.ReadFile(filepath.Join(o.StaticDir, "reader.html"))
	if err != nil || !bytes.Contains(html, []byte(`name="csrf-token"`)) {
		t.Errorf("reader.html is not the reader page (%v): %.200s", err, html)
	}
}

func checkScenario(t *testing.T, s *ScenarioResult) {
	t.Helper()
	expect := "200"
	if s.Name == ScenarioJoin {
		expect = "303"
	}
	if s.Requests == 0 || s.Errors != 0 || s.Note != "" {
		t.Errorf("%s: %d requests, %d errors (%s) %s: want some and none failed", s.Name, s.Requests, s.Errors, s.ErrorSample, s.Note)
	}
	if s.Statuses[expect] != s.Requests {
		t.Errorf("%s: statuses %v, want all %s", s.Name, s.Statuses, expect)
	}
	if s.RPS <= 0 || s.P50MS <= 0 || s.P99MS < s.P50MS || s.MaxMS < s.P99MS {
		t.Errorf("%s: rate %v, p50 %v, p99 %v, max %v: not consistent", s.Name, s.RPS, s.P50MS, s.P99MS, s.MaxMS)
	}
	if s.Name == ScenarioRosterCSV && s.CSVRows < 200 {
		t.Errorf("%s: %d rows, want one per student at least", s.Name, s.CSVRows)
	}
	if s.Ceiling {
		return
	}
	if s.QueriesPerRequest == nil || *s.QueriesPerRequest < 1 {
		t.Errorf("%s: queries per request %v, want at least one (the session)", s.Name, optional(s.QueriesPerRequest, 2))
	}
	if s.RSSPeakMB == nil || *s.RSSPeakMB <= 0 {
		t.Errorf("%s: server RSS not measured", s.Name)
	}
}

func TestRefusesRealData(t *testing.T) {
	url := testdb.URL(t)
	db, dialect := testdb.OpenDB(t, url)
	store := models.NewStore(db, dialect, nil)
	if _, err := store.CreateUser(context.Background(), models.NewAccount{FullName: "Real Person",
		Email: "real@example.org", Password: "a real password"}); err != nil {
		t.Fatal(err)
	}
	o := shortOptions(t)
	o.DatabaseURL = url
	_, err := Run(context.Background(), o, &bytes.Buffer{})
	if !errors.Is(err, errRealData) {
		t.Fatalf("Run on a database with a real user: %v, want a refusal", err)
	}
	var n int64
	if err := db.Raw("SELECT COUNT(*) FROM users").Scan(&n).Error; err != nil || n != 1 {
		t.Errorf("users after the refusal: %d (%v), want the one real user untouched", n, err)
	}
}

func TestRefusesForeignDatabase(t *testing.T) {
	url := testdb.URL(t)
	db, _, err := models.OpenDatabase(context.Background(), url, quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Exec("CREATE TABLE invoices (id INTEGER PRIMARY KEY)").Error; err != nil {
		t.Fatal(err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	if err := sqlDB.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := prepare(context.Background(), url, 10); !errors.Is(err, errRealData) {
		t.Fatalf("prepare on another application's database: %v, want a refusal", err)
	}
}

// A database the benchmark marked is wiped and seeded again.
func TestReseedsItsOwnDatabase(t *testing.T) {
	url := testdb.URL(t)
	ctx := context.Background()
	for _, n := range []int{30, 20} {
		data, err := prepare(ctx, url, n)
		if err != nil {
			t.Fatalf("seeding %d: %v", n, err)
		}
		if len(data.StudentTokens) != n || data.InstructorToken == "" || data.Paragraphs == 0 {
			t.Fatalf("seeded %d tokens, paragraphs %d", len(data.StudentTokens), data.Paragraphs)
		}
	}
	db, dialect := testdb.OpenDB(t, url)
	counts := map[string]int64{}
	for _, table := range []string{"users", "enrollments", "sessions", "course_instructors"} {
		var n int64
		if err := db.Raw("SELECT COUNT(*) FROM " + table).Scan(&n).Error; err != nil {
			t.Fatal(err)
		}
		counts[table] = n
	}
	if counts["users"] != 21 || counts["enrollments"] != 20 || counts["sessions"] != 21 || counts["course_instructors"] != 1 {
		t.Errorf("after reseeding with 20 students: %v", counts)
	}
	// The seeded sessions are real sessions of the store.
	store := models.NewStore(db, dialect, nil)
	data, err := prepare(ctx, url, 5)
	if err != nil {
		t.Fatal(err)
	}
	u, _, err := store.UserBySession(ctx, data.StudentTokens[4])
	if err != nil || u.Email != "bench-student-5@example.org" {
		t.Errorf("session of student 5: %v, %v", u, err)
	}
	if u, _, err := store.UserBySession(ctx, data.InstructorToken); err != nil || u.Role != models.RoleInstructor {
		t.Errorf("instructor session: %v, %v", u, err)
	}
}

func TestQueryCounterCountsStatements(t *testing.T) {
	db, _ := testdb.OpenDB(t, testdb.URL(t))
	q := &models.QueryCounter{}
	if err := db.Use(q); err != nil {
		t.Fatal(err)
	}
	var n int64
	db.Raw("SELECT COUNT(*) FROM courses").Scan(&n)
	db.Exec("UPDATE courses SET title = title")
	var c models.Course
	db.Preload("Weeks").Take(&c)
	if got := q.Count(); got != 4 {
		t.Errorf("counted %d statements, want 4 (raw, exec, take, preload)", got)
	}
	for addr, ok := range map[string]bool{"127.0.0.1:9100": true, "[::1]:9100": true, "localhost:1": true,
		"0.0.0.0:9100": false, ":9100": false, "10.0.0.1:9100": false, "nonsense": false} {
		if isLoopbackAddr(addr) != ok {
			t.Errorf("isLoopbackAddr(%q) = %v", addr, !ok)
		}
	}
}

func TestCompareRatiosAndTargets(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	pg := &Report{Label: "postgres", Database: "postgres", Students: 10000, StartupMS: 120, ServerPeakRSSMB: 60,
		Scenarios: []ScenarioResult{
			{Name: ScenarioReader, Available: true, RPS: 2000, P99MS: 40},
			{Name: ScenarioReaderHalf, Available: true, RPS: 1000, TargetRate: 1000, P99MS: 10},
			{Name: ScenarioProgress, Available: true, RPS: 500, P99MS: 200},
			{Name: ScenarioCountersOn, Available: true, RPS: 400, P99MS: 30},
			{Name: ScenarioCountersOff, Available: true, RPS: 450, P99MS: 25},
			{Name: ScenarioJoin, Available: true, RPS: 30, P99MS: 600, Concurrency: 20},
			{Name: ScenarioRoster, Note: "GET /admin/courses/x/roster answered 404"},
			{Name: ScenarioArgon, Available: true, Ceiling: true, RPS: 40},
			{Name: ScenarioStatic, Available: true, Ceiling: true, RPS: 10000},
		}}
	lite := &Report{Label: "sqlite", Database: "sqlite", Students: 10000, Scenarios: []ScenarioResult{
		{Name: ScenarioReader, Available: true, RPS: 1500, P99MS: 60, QueriesPerRequest: f(9)},
		{Name: ScenarioCountersOn, Available: true, RPS: 300, P99MS: 30},
		{Name: ScenarioCountersOff, Available: true, RPS: 360, P99MS: 25},
	}}
	c := Compare([]*Report{lite, pg}, 1000)
	ratio := func(run, name string) string {
		for _, r := range c.Rows {
			if r.Run == run && r.Result.Name == name {
				return percent(r.Ratio) + " " + times(r.VsPostgres)
			}
		}
		return "missing"
	}
	for _, tc := range []struct{ run, name, want string }{
		{"postgres", ScenarioReader, "20.0% -"}, {"postgres", ScenarioProgress, "50.0% -"},
		{"postgres", ScenarioJoin, "75.0% -"}, {"sqlite", ScenarioReader, "15.0% 0.75x"},
		{"postgres", ScenarioReaderHalf, "- -"},
	} {
		if got := ratio(tc.run, tc.name); got != tc.want {
			t.Errorf("%s %s: %s, want %s", tc.run, tc.name, got, tc.want)
		}
	}
	verdict := map[string]string{}
	for _, tc := range c.Targets {
		v := "n/a"
		if tc.OK != nil {
			v = strconv.FormatBool(*tc.OK)
		}
		verdict[tc.Target] = v
	}
	for target, want := range map[string]string{
		"PG reader ≥ 15 % of the static ceiling":              "true",
		"PG reader p99 < 25 ms at half that rate":             "true",
		"PG progress ≥ 60 % of pgbench's TPS":                 "false",
		"PG join p99 < 500 ms at 20 concurrent joins":         "false",
		"PG roster first page, cohort of 10,000: p99 < 50 ms": "n/a",
		"SQLite reads within 2× of PostgreSQL (rate, p99)":    "true",
		"PG start-up on an up-to-date database < 300 ms":      "true",
		// 450/400: +12.5 %; 360/300: +20 %.
		"PG insight counters cost a progress report ≤ 15 %":     "true",
		"SQLite insight counters cost a progress report ≤ 15 %": "false",
	} {
		if verdict[target] != want {
			t.Errorf("target %q: %s, want %s", target, verdict[target], want)
		}
	}
	var out bytes.Buffer
	if err := c.WriteTable(&out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "not available") || !strings.Contains(out.String(), "MISS") {
		t.Errorf("table:\n%s", out.String())
	}
}

// testWriter sends progress lines to the test log.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
