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

// pgbenchVars are the values the script's statements take: the session of
// a different signed-in student for each client (as the portal's scenario
// sends each request of a moment for a different student), the reading,
// and a random percent and paragraph per transaction.
type pgbenchVars struct {
	SessionIDs  []string
	Course      string
	ReadingSlug string
	Paragraphs  int
}

// pgbenchParams maps the parameters of models.ProgressUpdateStatements to
// the script's variables; :sid is the client's own session.
var pgbenchParams = map[string]string{
	"session_id": ":sid", "now": ":now", "now_ms": ":now_ms", "course_slug": ":course",
	"reading_slug": ":reading_slug", "percent": ":pct", "furthest": ":para", "seconds": ":seconds",
	"first_seconds": ":seconds", "idle_since": ":idle_since", "staff_idle_since": ":staff_idle_since",
	"student": ":role",
}

// pgbenchScript is a progress update's statements in pgbench's script
// language, each sent as the portal's driver sends it: prepared once per
// connection, then bound and executed. Client n uses the session in
// variable sid<n>; every branch sends the same SQL text.
func pgbenchScript(clients int) (string, error) {
	var stmts []string
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
		if strings.IndexByte(sql, '?') >= 0 {
			return "", fmt.Errorf("bench: fewer parameters than placeholders in %.60s", st.SQL)
		}
		// One statement per line: pgbench reads a statement up to its semicolon.
		stmts = append(stmts, strings.Join(strings.Fields(sql), " ")+";")
	}
	var b strings.Builder
	b.WriteString("\\set pct random(1, 99)\n\\set para random(1, :paragraphs)\n")
	for n := range clients {
		if n == 0 {
			b.WriteString("\\if :client_id = 0\n")
		} else {
			fmt.Fprintf(&b, "\\elif :client_id = %d\n", n)
		}
		for _, st := range stmts {
			b.WriteString(strings.ReplaceAll(st, ":sid", ":sid"+strconv.Itoa(n)) + "\n")
		}
	}
	b.WriteString("\\endif\n")
	return b.String(), nil
}

// loadPgbenchVars derives each client's session id as the portal does.
func loadPgbenchVars(data *seeded, clients int) (*pgbenchVars, error) {
	if len(data.StudentTokens) < clients {
		return nil, fmt.Errorf("bench: pgbench needs a student per client: %d students, %d clients",
			len(data.StudentTokens), clients)
	}
	v := &pgbenchVars{Course: data.CourseSlug, ReadingSlug: data.ReadingSlug, Paragraphs: max(1, data.Paragraphs)}
	for _, token := range data.StudentTokens[:clients] {
		sum := sha256.Sum256([]byte(token))
		v.SessionIDs = append(v.SessionIDs, hex.EncodeToString(sum[:]))
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
	v, err := loadPgbenchVars(data, o.Concurrency)
	if err != nil {
		return res, err
	}
	script := filepath.Join(tmp, "progress.pgbench")
	text, err := pgbenchScript(o.Concurrency)
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
		"-D", "course=" + v.Course, "-D", "reading_slug=" + v.ReadingSlug, "-D", "paragraphs=" + strconv.Itoa(v.Paragraphs),
		"-D", "seconds=30", "-D", "role=" + models.RoleStudent, "-D", "now=" + now.Format(time.RFC3339Nano),
		"-D", "now_ms=" + strconv.FormatInt(now.UnixMilli(), 10),
		"-D", "idle_since=" + now.Add(-models.SessionIdle).Format(time.RFC3339Nano),
		"-D", "staff_idle_since=" + now.Add(-models.StaffSessionIdle).Format(time.RFC3339Nano)}
	for n, sid := range v.SessionIDs {
		args = append(args, "-D", "sid"+strconv.Itoa(n)+"="+sid)
	}
	args = append(args, dbURL)
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
