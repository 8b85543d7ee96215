// Command courseportal serves the course portal and administers it.
//
//	courseportal [serve]                              run the web server
//	courseportal migrate                              apply database migrations
//	courseportal admin create --email E --name N      create an administrator (password on stdin)
//	courseportal backup FILE                          copy the SQLite database while the portal runs
//	courseportal restore FILE                         put a backup back where no database is
//	courseportal user reset-link --email E            print a password reset link once
//	courseportal verify --jwks FILE [--status FILE | --fetch-status] CREDENTIAL
//	                                                  check a signed credential and its revocation status
//	courseportal roster repair-counts                 recount the roster's kept counts per cohort
//	courseportal bench [flags]                        load-test a scratch database (see --help)
package main

import (
	"bufio"
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"net/url"
	"os"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"syscall"
	"time"
	"unicode"
	"unicode/utf8"

	"courseportal/migrations"
	"courseportal/models"
	"courseportal/models/credential"
	"courseportal/models/mail"
	"courseportal/routes"
	"courseportal/routes/bench"
	"courseportal/routes/metrics"
	"courseportal/views"

	"gorm.io/gorm"
)

// config is read from the environment; flags of the same meaning win.
type config struct {
	Port           int
	DatabaseURL    string
	BaseURL        string
	LogLevel       slog.Level
	LogFormat      string
	TrustedProxies []string
	// MailSender delivers over SMTP_URL; nil keeps mail in the outbox.
	MailSender mail.Sender
	// MetricsAddr is where /metrics is served; empty serves none.
	MetricsAddr string
	// ClientAttemptLimit is passed to routes.Options (negative: off).
	ClientAttemptLimit int
	// PprofAddr is where Go's profiles (net/http/pprof) are served; empty
	// serves none.
	PprofAddr string
}

func loadConfig(args []string) (config, []string, error) {
	fs := flag.NewFlagSet("courseportal", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	port := fs.String("port", envOr("PORT", "3000"), "port to listen on")
	dbURL := fs.String("database-url", os.Getenv("DATABASE_URL"), "postgres://… or sqlite:path (default: SQLite under ./data)")
	baseURL := fs.String("base-url", os.Getenv("BASE_URL"), "public URL of the portal")
	level := fs.String("log-level", envOr("LOG_LEVEL", "info"), "debug, info, warn or error")
	format := fs.String("log-format", envOr("LOG_FORMAT", "text"), "text or json")
	proxies := fs.String("trusted-proxies", os.Getenv("TRUSTED_PROXIES"), "comma-separated proxy addresses whose X-Forwarded-For is trusted")
	smtpURL := fs.String("smtp-url", os.Getenv("SMTP_URL"), "smtp://user:pass@host:587 or smtps://user:pass@host:465 (default: mail stays in the outbox)")
	mailFrom := fs.String("mail-from", envOr("MAIL_FROM", mail.DefaultFrom), "sender of the portal's emails")
	metricsAddr := fs.String("metrics-addr", os.Getenv("METRICS_ADDR"), "host:port serving /metrics (default: none)")
	pprofAddr := fs.String("pprof-addr", os.Getenv("PPROF_ADDR"), "host:port serving Go's profiles under /debug/pprof/ (default: none)")
	clientLimit := fs.String("client-attempt-limit", envOr("CLIENT_ATTEMPT_LIMIT", strconv.Itoa(models.ClientAttemptLimit)),
		"sign-in failures, sign-ups and joins one client address may make in 15 minutes; 0 turns the limit off")
	if err := fs.Parse(args); err != nil {
		return config{}, nil, fmt.Errorf("bad flags: %w", err)
	}
	var cfg config
	p, err := strconv.Atoi(*port)
	if err != nil || p < 1 || p > 65535 {
		return cfg, nil, fmt.Errorf("PORT must be a number from 1 to 65535, got %q", *port)
	}
	cfg.Port, cfg.DatabaseURL, cfg.LogFormat = p, *dbURL, *format
	if _, err := models.DialectOf(cfg.DatabaseURL); err != nil {
		return cfg, nil, err
	}
	if err := cfg.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		return cfg, nil, fmt.Errorf("LOG_LEVEL must be debug, info, warn or error, got %q", *level)
	}
	if cfg.LogFormat != "text" && cfg.LogFormat != "json" {
		return cfg, nil, fmt.Errorf("LOG_FORMAT must be text or json, got %q", cfg.LogFormat)
	}
	cfg.BaseURL = strings.TrimRight(*baseURL, "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = "http://localhost:" + strconv.Itoa(cfg.Port)
	}
	if u, err := url.Parse(cfg.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return cfg, nil, fmt.Errorf("BASE_URL must be an absolute http(s) URL, got %q", cfg.BaseURL)
	}
	limit, err := strconv.Atoi(*clientLimit)
	if err != nil || limit < 0 {
		return cfg, nil, fmt.Errorf("CLIENT_ATTEMPT_LIMIT must be a number, 0 or more, got %q", *clientLimit)
	}
	cfg.ClientAttemptLimit = limit
	if limit == 0 {
		cfg.ClientAttemptLimit = -1
	}
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p != "" {
			cfg.TrustedProxies = append(cfg.TrustedProxies, p)
		}
	}
	if cfg.MailSender, err = mail.SenderFromURL(*smtpURL, *mailFrom); err != nil {
		return cfg, nil, err
	}
	if cfg.MetricsAddr = *metricsAddr; cfg.MetricsAddr != "" {
		if _, _, err := net.SplitHostPort(cfg.MetricsAddr); err != nil {
			return cfg, nil, fmt.Errorf("METRICS_ADDR must be host:port (e.g. 127.0.0.1:9090), got %q", cfg.MetricsAddr)
		}
	}
	if cfg.PprofAddr = *pprofAddr; cfg.PprofAddr != "" {
		if _, _, err := net.SplitHostPort(cfg.PprofAddr); err != nil {
			return cfg, nil, fmt.Errorf("PPROF_ADDR must be host:port (e.g. 127.0.0.1:6060), got %q", cfg.PprofAddr)
		}
	}
	return cfg, fs.Args(), nil
}

func envOr(key, fallback string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return fallback
}

func newLogger(cfg config) *slog.Logger {
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(os.Stderr, opts))
	}
	return slog.New(slog.NewTextHandler(os.Stderr, opts))
}

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "courseportal:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	command := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		command, args = args[0], args[1:]
	}
	if command == "verify" {
		return verifyCommand(args, os.Stdout)
	}
	// instrument is the benchmark's query counter: only the server that
	// `courseportal bench` starts as its child ("bench serve") has it.
	var instrument func(*gorm.DB, *slog.Logger) error
	switch {
	case command == "bench" && len(args) > 0 && args[0] == "serve":
		command, args, instrument = "serve", args[1:], bench.InstrumentFromEnv
	case command == "bench":
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return bench.Command(ctx, args, os.Stdout, os.Stderr)
	}
	cfg, rest, err := loadConfig(args)
	if err != nil {
		return err
	}
	log := newLogger(cfg)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch command {
	case "serve":
		return serve(ctx, cfg, log, instrument)
	case "migrate":
		_, closeDB, err := openStore(ctx, cfg, log)
		if err != nil {
			return err
		}
		closeDB()
		log.Info("the database schema is up to date")
		return nil
	case "admin":
		return adminCommand(ctx, cfg, log, rest, os.Stdin, os.Stdout)
	case "backup", "restore":
		return backupCommand(ctx, cfg, log, command, rest, os.Stdout)
	case "course":
		return courseCommand(ctx, cfg, log, rest, os.Stdout)
	case "user":
		return userCommand(ctx, cfg, log, rest, os.Stdout)
	case "roster":
		return rosterCommand(ctx, cfg, log, rest, os.Stdout)
	}
	return fmt.Errorf("unknown command %q (serve, migrate, admin, user, course, roster, backup, restore, verify, bench)", command)
}

// openStore connects and migrates the database.
func openStore(ctx context.Context, cfg config, log *slog.Logger) (*models.Store, func(), error) {
	db, dialect, err := models.OpenDatabase(ctx, cfg.DatabaseURL, log)
	if err != nil {
		return nil, nil, err
	}
	closeDB := func() { closeDatabase(db, log) }
	sqlDB, err := db.DB()
	if err == nil {
		err = migrations.Up(ctx, sqlDB, migrations.Dialect(dialect), log)
	}
	if err != nil {
		closeDB()
		return nil, nil, err
	}
	return models.NewStore(db, dialect, models.SystemClock{}), closeDB, nil
}

func closeDatabase(db *gorm.DB, log *slog.Logger) {
	if sqlDB, err := db.DB(); err == nil {
		if err := sqlDB.Close(); err != nil {
			log.Warn("closing the database failed", "error", err)
		}
	}
}

// serve runs the web server until SIGINT or SIGTERM, then lets in-flight
// requests finish (up to ten seconds) before closing the database. instrument,
// when not nil, is given the database handle before the server starts.
func serve(ctx context.Context, cfg config, log *slog.Logger, instrument func(*gorm.DB, *slog.Logger) error) error {
	started := time.Now()
	setMemoryLimit(log)
	store, closeDB, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	if instrument != nil {
		if err := instrument(store.DB(), log); err != nil {
			return err
		}
	}
	portalMetrics, stopMetrics, err := startMetrics(cfg, store, log)
	if err != nil {
		return err
	}
	defer stopMetrics()
	stopProfiles, err := startProfiles(cfg, log)
	if err != nil {
		return err
	}
	defer stopProfiles()
	stopMailer := startMailer(ctx, cfg, store, log)
	defer stopMailer()
	defer startHousekeeping(ctx, store, log)()
	renderer, err := views.New()
	if err != nil {
		return err
	}
	signer, err := routes.NewSigner(ctx, store, cfg.BaseURL)
	if err != nil {
		return err
	}
	app := routes.New(routes.Options{Store: store, Views: renderer, Log: log, BaseURL: cfg.BaseURL,
		TrustedProxies: cfg.TrustedProxies, Signer: signer, Metrics: portalMetrics,
		ClientAttemptLimit: cfg.ClientAttemptLimit})
	errc := make(chan error, 1)
	go func() { errc <- app.Listen(":" + strconv.Itoa(cfg.Port)) }()
	log.Info("courseportal is listening", "url", cfg.BaseURL, "port", cfg.Port, "database", store.Dialect(),
		"startup", time.Since(started).Round(time.Millisecond))
	if n, err := store.CountAdmins(ctx); err == nil && n == 0 {
		log.Warn("no administrator exists yet; create one with: courseportal admin create --email you@example.org --name \"Your Name\"")
	}
	select {
	case err := <-errc:
		return fmt.Errorf("server: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
		return fmt.Errorf("server: shutdown: %w", err)
	}
	return nil
}

// adminCommand: admin create --email E --name N, with the password on stdin
// (or generated and printed once when stdin is empty).
func adminCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, in io.Reader, out io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		return errors.New("usage: courseportal admin create --email E --name N  (password read from stdin)")
	}
	fs := flag.NewFlagSet("admin create", flag.ContinueOnError)
	email := fs.String("email", "", "administrator's email")
	name := fs.String("name", "", "administrator's full name")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	password, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("reading password: %w", err)
	}
	password = strings.TrimRight(password, "\r\n")
	generated := password == ""
	if generated {
		if password, err = models.NewToken(); err != nil {
			return err
		}
		password = password[:24]
	}
	store, closeDB, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	user, err := store.CreateUser(ctx, models.NewAccount{FullName: *name, Email: *email, Password: password, Role: models.RoleAdmin})
	if err != nil {
		return fmt.Errorf("admin create: %w", err)
	}
	report := fmt.Sprintf("Created administrator %s <%s>.\n", user.FullName, user.Email)
	if generated {
		report += fmt.Sprintf("Generated password (shown once, store it now): %s\n", password)
	}
	// A generated password exists only in this output: failing to write it
	// is an error, not a silent success.
	if _, err := io.WriteString(out, report); err != nil {
		return fmt.Errorf("admin create: %w", err)
	}
	return nil
}

// courseCommand runs operator actions on a course: open-certificates SLUG
// lets the course certify before every week has a reading, and completes at
// once the enrollments that meet its rule.
func courseCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) != 2 || args[0] != "open-certificates" {
		return errors.New("usage: courseportal course open-certificates SLUG")
	}
	store, closeDB, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	course, err := store.CourseBySlug(ctx, args[1])
	if errors.Is(err, models.ErrNotFound) {
		return fmt.Errorf("course open-certificates: no course has the slug %q", args[1])
	}
	if err != nil {
		return err
	}
	completed, err := store.OpenCertificates(ctx, 0, course)
	if err != nil {
		return fmt.Errorf("course open-certificates: %w", err)
	}
	students := "students"
	if completed == 1 {
		students = "student"
	}
	if _, err := fmt.Fprintf(out, "Certificates are open for %s; %d %s completed the course just now.\n",
		course.Title, completed, students); err != nil {
		return fmt.Errorf("course open-certificates: %w", err)
	}
	return nil
}

// rosterCommand: roster repair-counts recomputes the counts kept per cohort
// for the roster's summary from the enrollments and the progress, for after
// rows were changed by hand outside the portal.
func rosterCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, out io.Writer) error {
	if len(args) != 1 || args[0] != "repair-counts" {
		return errors.New("usage: courseportal roster repair-counts")
	}
	store, closeDB, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	fixed, err := store.RepairRosterCounts(ctx)
	if err != nil {
		return fmt.Errorf("roster repair-counts: %w", err)
	}
	cohorts := "cohorts"
	if fixed == 1 {
		cohorts = "cohort"
	}
	if _, err := fmt.Fprintf(out, "Recounted the roster: the counts of %d %s were wrong and are fixed.\n", fixed, cohorts); err != nil {
		return fmt.Errorf("roster repair-counts: %w", err)
	}
	return nil
}

// backupCommand: backup FILE copies the SQLite database while the portal
// runs; restore FILE puts a copy back where no database is.
func backupCommand(ctx context.Context, cfg config, log *slog.Logger, command string, args []string, out io.Writer) error {
	if len(args) != 1 || strings.HasPrefix(args[0], "-") {
		return fmt.Errorf("usage: courseportal %s FILE", command)
	}
	var report string
	if command == "backup" {
		if err := models.BackupSQLite(ctx, cfg.DatabaseURL, args[0], log); err != nil {
			return err
		}
		report = fmt.Sprintf("Backed up to %s (mode 0600: it holds the signing keys; keep it safe).\n", args[0])
	} else {
		latest := func(db *sql.DB) (int64, error) { return migrations.Latest(db, migrations.Dialect(models.SQLite)) }
		version, err := models.RestoreSQLite(ctx, args[0], cfg.DatabaseURL, latest)
		if err != nil {
			return err
		}
		report = fmt.Sprintf("Restored %s (schema version %d); start the portal to use it.\n", args[0], version)
	}
	if _, err := io.WriteString(out, report); err != nil {
		return fmt.Errorf("%s: %w", command, err)
	}
	return nil
}

// userCommand: user reset-link --email E prints a password reset link once,
// for an operator without mail to hand over; the audit log records it.
func userCommand(ctx context.Context, cfg config, log *slog.Logger, args []string, out io.Writer) error {
	const usage = "usage: courseportal user reset-link --email E"
	if len(args) == 0 || args[0] != "reset-link" {
		return errors.New(usage)
	}
	fs := flag.NewFlagSet("user reset-link", flag.ContinueOnError)
	email := fs.String("email", "", "the person's email address")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *email == "" {
		return errors.New(usage)
	}
	store, closeDB, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer closeDB()
	link, err := store.CreateResetLink(ctx, *email, cfg.BaseURL)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return fmt.Errorf("user reset-link: no account uses %s", *email)
	case errors.Is(err, models.ErrAccountDisabled):
		return fmt.Errorf("user reset-link: the account of %s is disabled; enable it first", *email)
	case err != nil:
		return fmt.Errorf("user reset-link: %w", err)
	}
	// The link exists only in this output: failing to write it is an error.
	if _, err := fmt.Fprintf(out, "Password reset link for %s (works once, for one hour; shown only now):\n%s\n",
		models.NormalizeEmail(*email), link); err != nil {
		return fmt.Errorf("user reset-link: %w", err)
	}
	return nil
}

// verifyCommand checks a credential file against a JWKS file and, when
// given the issuer's status list (--status FILE) or allowed to fetch it
// (--fetch-status), whether the credential is revoked.
func verifyCommand(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	jwksPath := fs.String("jwks", "", "file holding the issuer's public keys (from /.well-known/jwks.json)")
	statusPath := fs.String("status", "", "file holding the issuer's status list credential (from the credential's statusListCredential URL)")
	fetch := fs.Bool("fetch-status", false, "fetch the status list the credential names")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *jwksPath == "" || fs.NArg() != 1 {
		return errors.New("usage: courseportal verify --jwks jwks.json [--status list.jwt | --fetch-status] certificate.jwt")
	}
	jwks, err := os.ReadFile(*jwksPath)
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	token, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	v, err := credential.VerifyJWKS(strings.TrimSpace(string(token)), jwks)
	if errors.Is(err, credential.ErrInvalidKey) {
		return fmt.Errorf("verify: the key file is not a usable JWKS: %w", err)
	}
	if err != nil {
		return printVerdict(out, refusalVerdict(err), errors.New("verification failed"))
	}
	valid := fmt.Sprintf("VALID signature: %s completed %s on %s (certificate %s, issued by %s).",
		v.RecipientName, v.CourseTitle, v.CompletedAt.Format("2 January 2006"), v.Code, v.IssuerName)
	if err := printVerdict(out, valid, nil); err != nil {
		return err
	}
	line, err := revocationStatus(v, jwks, *statusPath, *fetch)
	if line == "" {
		return err
	}
	return printVerdict(out, line, err)
}

// printVerdict prints one line of verify's verdict, with control characters
// escaped, and returns the error
// verify ends with, or the write's error when the line cannot be printed.
func printVerdict(out io.Writer, line string, verdict error) error {
	// The line carries strings the credential's issuer wrote: escaped.
	if _, err := fmt.Fprintln(out, terminalSafe(line)); err != nil {
		return fmt.Errorf("verify: %w", err)
	}
	return verdict
}

// refusalVerdict is the line verify prints for a credential it refuses.
func refusalVerdict(err error) string {
	switch {
	case errors.Is(err, credential.ErrUnknownKey):
		return "INVALID: signed by a key that is not in the given key set"
	case errors.Is(err, credential.ErrNotYetValid), errors.Is(err, credential.ErrExpired):
		return "INVALID: " + err.Error()
	default:
		return "TAMPERED: the signature does not match the content: " + err.Error()
	}
}

// revocationStatus says whether the issuer's status list revokes the
// credential, or that its status is unknown without the list: the line to
// print (empty when there is none) and the error verify ends with.
func revocationStatus(v *credential.Verified, jwks []byte, statusPath string, fetch bool) (string, error) {
	if v.Status == nil {
		return fmt.Sprintf("Revocation status: unknown (the credential names no status list); check %s", v.CredentialID), nil
	}
	var raw []byte
	var err error
	switch {
	case statusPath != "":
		raw, err = os.ReadFile(statusPath)
	case fetch:
		raw, err = fetchStatusList(v.Status.ListURL)
	default:
		return fmt.Sprintf("Revocation status: unknown; give --status FILE or --fetch-status to check %s (index %d)",
			v.Status.ListURL, v.Status.Index), nil
	}
	if err != nil {
		return "", fmt.Errorf("verify: status list: %w", err)
	}
	keys, err := credential.ParseJWKS(jwks)
	if err != nil {
		return "", fmt.Errorf("verify: the key file is not a usable JWKS: %w", err)
	}
	list, err := credential.VerifyStatusList(string(raw), keys)
	if err != nil {
		return "Revocation status: unknown: the status list does not verify: " + err.Error(), errors.New("verification failed")
	}
	if list.ID != v.Status.ListURL {
		return fmt.Sprintf("Revocation status: unknown: the status list is %s, the credential names %s", list.ID, v.Status.ListURL),
			errors.New("verification failed")
	}
	revoked, err := list.Revoked(v.Status.Index)
	if err != nil {
		return "", fmt.Errorf("verify: %w", err)
	}
	if revoked {
		return fmt.Sprintf("REVOKED: the issuer's status list %s marks this credential revoked (index %d)", list.ID, v.Status.Index),
			errors.New("credential revoked")
	}
	return fmt.Sprintf("Revocation status: not revoked (status list %s, index %d)", list.ID, v.Status.Index), nil
}

// fetchStatusList downloads a status list, bounded in time and size.
func fetchStatusList(listURL string) ([]byte, error) {
	u, err := url.Parse(listURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return nil, fmt.Errorf("%q is not an http(s) URL", listURL)
	}
	client := &http.Client{Timeout: 15 * time.Second}
	res, err := client.Get(u.String())
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s answered %s", listURL, res.Status)
	}
	return io.ReadAll(io.LimitReader(res.Body, 1<<20))
}

// terminalSafe escapes what a terminal would act on rather than print:
// control characters (escape sequences, bells, C1 codes) and bidi
// embedding, override and isolate controls, written as \xNN or \uNNNN. A
// signed string comes from whoever issued the credential, so it is never
// printed raw.
func terminalSafe(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80 && unicode.IsControl(r):
			fmt.Fprintf(&b, "\\x%02x", r)
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) || r == utf8.RuneError:
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// startMailer runs the outbox worker until the returned stop is called.
// Without SMTP_URL mail stays in the outbox, readable at /admin/outbox.
func startMailer(ctx context.Context, cfg config, store *models.Store, log *slog.Logger) func() {
	mailer := mail.NewWorker(store, cfg.MailSender, log)
	mailer.BaseURL = cfg.BaseURL
	mailCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); mailer.Run(mailCtx) }()
	return func() { cancel(); <-done }
}

// startMetrics serves /metrics on METRICS_ADDR; without it there are none.
func startMetrics(cfg config, store *models.Store, log *slog.Logger) (*metrics.Metrics, func(), error) {
	if cfg.MetricsAddr == "" {
		return nil, func() {}, nil
	}
	m, err := metrics.New(store, log)
	if err != nil {
		return nil, nil, fmt.Errorf("metrics: %w", err)
	}
	stop, err := m.Serve(cfg.MetricsAddr)
	return m, stop, err
}

// startProfiles serves Go's profiles (CPU, heap, goroutines …) on
// PPROF_ADDR, a listener of its own; without it there are none. They show
// the program's internals: bind it to a loopback address.
func startProfiles(cfg config, log *slog.Logger) (func(), error) {
	if cfg.PprofAddr == "" {
		return func() {}, nil
	}
	ln, err := net.Listen("tcp", cfg.PprofAddr)
	if err != nil {
		return nil, fmt.Errorf("profiles: unable to listen on %s: %w", cfg.PprofAddr, err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// No write timeout: a CPU profile answers after the seconds it samples.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("profiles listener stopped", "error", err)
		}
	}()
	log.Info("Go profiles are served", "url", "http://"+ln.Addr().String()+"/debug/pprof/")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Warn("profiles listener shutdown", "error", err)
		}
		<-done
	}, nil
}

// startHousekeeping purges expired sessions and old failed logins in the
// background, on every instance; the returned func stops it and waits.
func startHousekeeping(ctx context.Context, store *models.Store, log *slog.Logger) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); models.RunHousekeeping(ctx, store, models.HousekeepingInterval, log) }()
	return func() { cancel(); <-done }
}

// defaultMemoryLimit is the soft heap limit when GOMEMLIMIT is not set. Each
// password hash allocates 19 MiB that becomes garbage at once; without a
// limit the heap doubles past the live set before the collector runs, and a
// burst of sign-ups would leave the process several times larger than it
// needs to be.
const defaultMemoryLimit = 64 << 20

func setMemoryLimit(log *slog.Logger) {
	if os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(defaultMemoryLimit)
	log.Debug("soft memory limit set", "bytes", defaultMemoryLimit)
}
