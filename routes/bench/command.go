package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

const usage = `usage:
  courseportal bench [flags]                 seed a scratch database, start the server, load it
  courseportal bench report [flags] RUN.json...   combine runs with their ceilings
  courseportal bench serve [flags]           the server the benchmark starts, counting its queries

flags of bench:
  --database-url URL      scratch database (default $DATABASE_URL; empty: a new SQLite file)
  --students N            synthetic students in one cohort (default 10000)
  --concurrency C         signed-in clients per scenario (default 64)
  --join-concurrency J    clients joining at once (default 20)
  --duration D            measured time per scenario (default 10s)
  --warmup W              unmeasured time before each scenario (default min(1s, D/5))
  --scenarios LIST        comma-separated subset of: %s
  --json FILE             also write the report as JSON
  --label NAME            name of the run in reports (default: the database kind)
  --static-dir DIR        write the reader page's HTML to DIR/reader.html
  --ceiling-url URL       drive URL (a static server of that file) as the ceiling
  --wrk PATH              also drive the reader page and the ceiling URL with wrk, back to back,
                          with and without gzip (needs --static-dir and --ceiling-url)
  --pgbench PATH          on PostgreSQL, run pgbench with a progress update's statements
                          right after the progress scenario
  --keep                  keep the temporary SQLite database
`

// Command runs `courseportal bench ARGS`; main calls it before reading the
// server's configuration, since the flags are the benchmark's own.
func Command(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 && args[0] == "report" {
		return reportCommand(args[1:], stdout)
	}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o Options
	var scenarios string
	fs.StringVar(&o.DatabaseURL, "database-url", os.Getenv("DATABASE_URL"), "")
	fs.IntVar(&o.Students, "students", 10000, "")
	fs.IntVar(&o.Concurrency, "concurrency", 64, "")
	fs.IntVar(&o.JoinConcurrency, "join-concurrency", 20, "")
	fs.DurationVar(&o.Duration, "duration", 0, "")
	fs.DurationVar(&o.Warmup, "warmup", 0, "")
	fs.StringVar(&scenarios, "scenarios", "", "")
	fs.StringVar(&o.JSONPath, "json", "", "")
	fs.StringVar(&o.Label, "label", "", "")
	fs.StringVar(&o.StaticDir, "static-dir", "", "")
	fs.StringVar(&o.CeilingURL, "ceiling-url", "", "")
	fs.StringVar(&o.Wrk, "wrk", "", "")
	fs.StringVar(&o.Pgbench, "pgbench", "", "")
	fs.BoolVar(&o.KeepDatabase, "keep", false, "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			_, err := fmt.Fprintf(stdout, usage, strings.Join(AllScenarios, ","))
			return err
		}
		return fmt.Errorf("bench: %w\n"+strings.TrimSuffix(usage, "\n"), err, strings.Join(AllScenarios, ","))
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("bench: unexpected argument %q", fs.Arg(0))
	}
	if o.Duration == 0 {
		o.Duration = defaultDuration
	}
	for _, s := range strings.Split(scenarios, ",") {
		if s = strings.TrimSpace(s); s != "" {
			o.Scenarios = append(o.Scenarios, s)
		}
	}
	o.Progress = stderr
	_, err := Run(ctx, o, stdout)
	return err
}
