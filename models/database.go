package models

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/glebarez/sqlite"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// Dialect names the SQL dialect behind a Store.
type Dialect string

// The two supported databases.
const (
	Postgres Dialect = "postgres"
	SQLite   Dialect = "sqlite"
)

// DefaultSQLitePath is where the zero-setup database lives.
const DefaultSQLitePath = "data/courseportal.db"

// DialectOf tells which database a DATABASE_URL selects; empty means SQLite.
func DialectOf(databaseURL string) (Dialect, error) {
	switch {
	case databaseURL == "":
		return SQLite, nil
	case strings.HasPrefix(databaseURL, "postgres://"), strings.HasPrefix(databaseURL, "postgresql://"):
		return Postgres, nil
	case strings.HasPrefix(databaseURL, "sqlite:"), strings.HasPrefix(databaseURL, "file:"):
		return SQLite, nil
	}
	return "", fmt.Errorf("DATABASE_URL must start with postgres:// or sqlite: (got %q)", redactURL(databaseURL))
}

// OpenDatabase connects to PostgreSQL or SQLite and sets the pool up for a
// small machine. It does not migrate.
func OpenDatabase(ctx context.Context, databaseURL string, log *slog.Logger) (*gorm.DB, Dialect, error) {
	dialect, err := DialectOf(databaseURL)
	if err != nil {
		return nil, "", err
	}
	cfg := &gorm.Config{
		Logger:                 logger.Discard,
		SkipDefaultTransaction: true,
		PrepareStmt:            false,
		NowFunc:                func() time.Time { return SystemClock{}.Now() },
	}
	var db *gorm.DB
	if dialect == Postgres {
		db, err = gorm.Open(postgres.Open(postgresDSN(databaseURL)), cfg)
	} else {
		var dsn string
		dsn, err = sqliteDSN(databaseURL)
		if err == nil {
			db, err = gorm.Open(sqlite.Open(dsn), cfg)
		}
	}
	if err != nil {
		return nil, "", fmt.Errorf("database: unable to open %s: %w", dialect, err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, "", fmt.Errorf("database: %w", err)
	}
	if dialect == Postgres {
		sqlDB.SetMaxOpenConns(16)
		sqlDB.SetMaxIdleConns(16)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	} else {
		// WAL allows many readers beside one writer; writers queue on the busy timeout.
		sqlDB.SetMaxOpenConns(8)
		sqlDB.SetMaxIdleConns(8)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := sqlDB.PingContext(pingCtx); err != nil {
		_ = sqlDB.Close()
		return nil, "", fmt.Errorf("database: unable to reach %s: %w", dialect, err)
	}
	log.Debug("database opened", "dialect", dialect)
	return db, dialect, nil
}

// postgresDSN turns PostgreSQL's JIT compilation off for the portal's
// sessions unless DATABASE_URL sets it: the portal's statements are short,
// and a plan whose estimate crosses jit_above_cost (the roster's summary
// of a 10,000-student class does) spent about 60 ms compiling on every
// view, more than the statement itself.
func postgresDSN(databaseURL string) string {
	u, err := url.Parse(databaseURL)
	if err != nil {
		return databaseURL
	}
	q := u.Query()
	if q.Has("jit") {
		return databaseURL
	}
	q.Set("jit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// sqliteDSN turns "", "sqlite:path" or "file:path" into a DSN with WAL,
// foreign keys, a busy timeout and immediate transactions (so two writers
// never deadlock upgrading a read lock).
func sqliteDSN(databaseURL string) (string, error) {
	path, err := SQLitePath(databaseURL)
	if err != nil {
		return "", err
	}
	if path != ":memory:" {
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return "", fmt.Errorf("database: unable to create folder for %s: %w", path, err)
		}
	}
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(15000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// No _time_format: the driver stops reading parameters after it, which
	// would drop _txlock; its default format is the same anyway.
	q.Set("_txlock", "immediate")
	return "file:" + path + "?" + q.Encode(), nil
}

// SQLitePath is the file an SQLite DATABASE_URL names: "", "sqlite:path"
// or "file:path", without parameters.
func SQLitePath(databaseURL string) (string, error) {
	path := DefaultSQLitePath
	if databaseURL != "" {
		path = strings.TrimPrefix(strings.TrimPrefix(databaseURL, "sqlite:"), "file:")
		path = strings.TrimPrefix(path, "//")
		if i := strings.IndexByte(path, '?'); i >= 0 {
			path = path[:i]
		}
	}
	if path == "" {
		return "", fmt.Errorf("DATABASE_URL: empty SQLite path")
	}
	return path, nil
}

func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	u.User = url.User(u.User.Username())
	return u.String()
}
