// Package migrations holds the versioned schema of both databases and the
// seeded course, embedded in the binary, and applies them with goose.
//
// A released migration is frozen: a change to the schema or the seeded data is
// a new version. A SQL migration is one file in postgres/ and one in sqlite/,
// with the same version number; a data migration in Go serves both. Tests
// check that both folders carry the same versions and that each is listed
// below. Migrations import nothing of courseportal/models, whose code changes
// with the application. Versions:
//
//	1   schema                                    00001_schema.sql
//	2   the seeded course, in Go                  seed.go
//	3   never used
//	4   mail delivery                             00004_mail_delivery.sql
//	5   roster indexes                            00005_roster_indexes.sql
//	6   server secrets (CSRF key)                 00006_server_secrets.sql
//	7   knowledge checks, course readiness        00007_knowledge_checks.sql
//	8   accounts: confirmed email, links, erasure 00008_accounts.sql
//	9   never used
//	10  login throttling by device and by client  00010_login_throttling.sql
//	11  two-step sign-in, credential status list  00011_mfa_status_list.sql
//	12  insight counters, kept by triggers        00012_insight_counters.sql
//	13  readings' language, replayed writes       00013_reading_language.sql
//	14  the interface language a person chose     00014_user_language.sql
//	15  roster counts per cohort, kept by triggers 00015_roster_counts.sql
//	16  roster at-risk standing, the name walk    00016_roster_standing.sql
//	17  a version of each check's first attempts  00017_check_attempts_version.sql
//	18  trigger conditions cheap to prepare       00018_trigger_conditions.sql
package migrations

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
)

//go:embed postgres/*.sql sqlite/*.sql content/*.md
var files embed.FS

// Dialect is "postgres" or "sqlite".
type Dialect string

// newProvider builds the goose provider of one dialect, with the SQL files
// of its folder and the Go data migrations shared by both.
func newProvider(db *sql.DB, dialect Dialect) (*goose.Provider, error) {
	gooseDialect, folder := goose.DialectSQLite3, "sqlite"
	if dialect == "postgres" {
		gooseDialect, folder = goose.DialectPostgres, "postgres"
	}
	sub, err := fs.Sub(files, folder)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	p, err := goose.NewProvider(gooseDialect, db, sub, goose.WithGoMigrations(goMigrations(dialect)...))
	if err != nil {
		return nil, fmt.Errorf("migrations: unable to load: %w", err)
	}
	return p, nil
}

// Latest is the highest version this build knows.
func Latest(db *sql.DB, dialect Dialect) (int64, error) {
	p, err := newProvider(db, dialect)
	if err != nil {
		return 0, err
	}
	sources := p.ListSources()
	return sources[len(sources)-1].Version, nil
}

// Up applies every pending migration, each in its own transaction. It refuses
// a database whose schema is newer than this build, which would mean an older
// binary running against data it does not understand.
func Up(ctx context.Context, db *sql.DB, dialect Dialect, log *slog.Logger) error {
	p, err := newProvider(db, dialect)
	if err != nil {
		return err
	}
	current, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("migrations: unable to read schema version: %w", err)
	}
	sources := p.ListSources()
	latest := sources[len(sources)-1].Version
	if current > latest {
		return fmt.Errorf("migrations: the database schema is at version %d but this build knows only up to %d; run a newer courseportal", current, latest)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrations: unable to apply: %w", err)
	}
	for _, r := range results {
		log.Info("migration applied", "version", r.Source.Version, "file", r.Source.Path, "duration", r.Duration)
	}
	return nil
}
