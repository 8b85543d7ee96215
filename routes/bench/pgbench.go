package bench

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"courseportal/models"
)

// ScenarioPgbench is pgbench running the statements of a progress update,
// measured right after the portal's progress scenario.
const ScenarioPgbench = "pgbench"

// pgbenchVars are the values the script's statements take: one signed-in
// student's session for the reads (reads of one row do not wait on each
// other), and a random enrollment for each upsert, as the portal's
// scenario spreads its updates over the students.
type pgbenchVars struct {
	SessionID   string
	UserID      int64
	Course      string
	ReadingSlug string
	ReadingID   int64
	Enrollments int64
	Paragraphs  int
}

// pgbenchParams maps the parameters of models.ProgressUpdateStatements to
// the script's variables.
var pgbenchParams = map[string]string{
	"session_id": ":sid", "now": ":now", "now_ms": ":now_ms", "user_id": ":user", "course_slug": ":course",
	"reading_slug": ":reading_slug", "enrollment_id": ":e", "reading_id": ":reading", "percent": ":pct",
	"furthest": ":para", "seconds": "30", "first_seconds": "30", "idle_since": ":idle_since",
	"staff_idle_since": ":staff_idle_since", "student": "'student'",
}

// pgbenchScript is a progress update's statements in pgbench's script
// language, each sent as the portal's driver sends it: prepared once per
// connection, then bound and executed.
func pgbenchScript() (string, error) {
	var b strings.Builder
	b.WriteString("\\set e random(1, :enrollments)\n\\set pct random(1, 99)\n\\set para random(1, :paragraphs)\n")
	for _, st := range models.ProgressUpdateStatements() {
		sql := st.SQL
		for _, name := range st.Params {
			v, ok := pgbenchParams[name]
			if !ok {
				return "", fmt.Errorf("bench: no pgbench variable for the parameter %q", name)
			}
			i := strings.IndexByte(sql, '?')
			if i < 0 {
				return "", fmt.Errorf("bench: more parameters than placeholders in %.60s", st.SQL)
			}
			sql = sql[:i] + v + sql[i+1:]
		}
		// One statement per line: pgbench reads a statement up to its semicolon.
		b.WriteString(strings.Join(strings.Fields(sql), " ") + ";\n")
	}
	return b.String(), nil
}

// loadPgbenchVars reads the script's values from the seeded database.
func loadPgbenchVars(ctx context.Context, dbURL string, data *seeded) (*pgbenchVars, error) {
	db, _, err := models.OpenDatabase(ctx, dbURL, quiet)
	if err != nil {
		return nil, err
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("bench: %w", err)
	}
	defer func() { _ = sqlDB.Close() }() // read only: nothing to lose
	sum := sha256.Sum256([]byte(data.StudentTokens[0]))
	v := &pgbenchVars{SessionID: hex.EncodeToString(sum[:]), Course: data.CourseSlug, ReadingSlug: data.ReadingSlug,
		Paragraphs: max(1, data.Paragraphs)}
	err = sqlDB.QueryRowContext(ctx, `SELECT s.user_id, r.id, (SELECT max(id) FROM enrollments)
FROM sessions s, readings r WHERE s.id = $1 AND r.slug = $2`, v.SessionID, v.ReadingSlug).
		Scan(&v.UserID, &v.ReadingID, &v.Enrollments)
	if err != nil {
		return nil, fmt.Errorf("bench: pgbench values: %w", err)
	}
	return v, nil
}

var pgbenchTPS = regexp.MustCompile(`(?m)^tps = ([0-9.]+)`)
var pgbenchLatency = regexp.MustCompile(`(?m)^latency average = ([0-9.]+) ms`)
var pgbenchFailed = regexp.MustCompile(`(?m)^number of failed transactions: ([0-9]+)`)

// runPgbench drives the seeded database with the progress update's
// statements at the scenario's concurrency, for the scenario's duration.
func runPgbench(ctx context.Context, o Options, dbURL, tmp string, data *seeded) (ScenarioResult, error) {
	res := ScenarioResult{Name: ScenarioPgbench, Request: "pgbench -M prepared: the statements of a progress update",
		Concurrency: o.Concurrency, Ceiling: true, Available: true}
	v, err := loadPgbenchVars(ctx, dbURL, data)
	if err != nil {
		return res, err
	}
	script := filepath.Join(tmp, "progress.pgbench")
	text, err := pgbenchScript()
	if err != nil {
		return res, err
	}
	if err := os.WriteFile(script, []byte(text), 0o644); err != nil {
		return res, fmt.Errorf("bench: %w", err)
	}
	secs := max(1, int(o.Duration.Round(time.Second)/time.Second))
	now := time.Now().UTC()
	args := []string{"-n", "-M", "prepared", "-c", strconv.Itoa(o.Concurrency), "-j", strconv.Itoa(wrkThreads),
		"-T", strconv.Itoa(secs), "-f", script,
		"-D", "sid=" + v.SessionID, "-D", "user=" + strconv.FormatInt(v.UserID, 10),
		"-D", "course=" + v.Course, "-D", "reading_slug=" + v.ReadingSlug,
		"-D", "reading=" + strconv.FormatInt(v.ReadingID, 10),
		"-D", "enrollments=" + strconv.FormatInt(v.Enrollments, 10), "-D", "paragraphs=" + strconv.Itoa(v.Paragraphs),
		"-D", "now=" + now.Format(time.RFC3339Nano), "-D", "now_ms=" + strconv.FormatInt(now.UnixMilli(), 10),
		"-D", "idle_since=" + now.Add(-models.SessionIdle).Format(time.RFC3339Nano),
		"-D", "staff_idle_since=" + now.Add(-models.StaffSessionIdle).Format(time.RFC3339Nano),
		dbURL}
	cmd := exec.CommandContext(ctx, o.Pgbench, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return res, fmt.Errorf("bench: pgbench: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	out := stdout.String()
	m := pgbenchTPS.FindStringSubmatch(out)
	if m == nil {
		return res, fmt.Errorf("bench: pgbench printed no rate:\n%s", out)
	}
	res.RPS, _ = strconv.ParseFloat(m[1], 64)
	res.Requests = int64(res.RPS * float64(secs))
	if m := pgbenchLatency.FindStringSubmatch(out); m != nil {
		res.P50MS, _ = strconv.ParseFloat(m[1], 64)
		res.Note = "average latency in the p50 column"
	}
	if m := pgbenchFailed.FindStringSubmatch(out); m != nil {
		res.Errors, _ = strconv.ParseInt(m[1], 10, 64)
	}
	return res, nil
}
