package bench

import (
	"context"
	"courseportal/migrations"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"courseportal/models"
)

// markerTable marks a database as the benchmark's own. It is created only on
// a database without users, and a database that has it may be wiped.
const markerTable = "courseportal_bench"

// errRealData is the refusal to touch a database that may hold real data.
var errRealData = errors.New("bench: refusing to run against a database that holds real data")

// checkScratch decides whether the database may be used: it must be empty,
// a courseportal database without any user, or one the benchmark marked
// before. It reports whether the benchmark's marker was found.
func checkScratch(ctx context.Context, db *sql.DB, dialect models.Dialect) (marked bool, err error) {
	if dialect == models.Postgres {
		var name, schema string
		if err := db.QueryRowContext(ctx, "SELECT current_database(), current_schema()").Scan(&name, &schema); err != nil {
			return false, fmt.Errorf("bench: %w", err)
		}
		// A schema of its own (search_path) in them is fine, as tests do.
		if (name == "postgres" || strings.HasPrefix(name, "template")) && schema == "public" {
			return false, fmt.Errorf("bench: refusing to fill PostgreSQL's %q database; create one for the benchmark (createdb courseportal_bench)", name)
		}
	}
	tables, err := listTables(ctx, db, dialect)
	if err != nil {
		return false, err
	}
	if slices.Contains(tables, markerTable) {
		return true, nil
	}
	if len(tables) == 0 {
		return false, nil
	}
	if !slices.Contains(tables, "goose_db_version") {
		return false, fmt.Errorf("%w: it has tables (%s, …) and is not a courseportal database; use an empty one",
			errRealData, tables[0])
	}
	if !slices.Contains(tables, "users") {
		return false, nil
	}
	var users int64
	if err := db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&users); err != nil {
		return false, fmt.Errorf("bench: unable to count users: %w", err)
	}
	if users > 0 {
		return false, fmt.Errorf("%w: it has %d user accounts that the benchmark did not create; use an empty database", errRealData, users)
	}
	return false, nil
}

// listTables names the tables of the current schema.
func listTables(ctx context.Context, db *sql.DB, dialect models.Dialect) ([]string, error) {
	q := "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
	if dialect == models.Postgres {
		q = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
	}
	rows, err := db.QueryContext(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("bench: unable to list tables: %w", err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("bench: unable to list tables: %w", err)
		}
		names = append(names, name)
	}
	return names, rows.Err()
}

// markScratch records that the database belongs to the benchmark. Call it
// only after checkScratch accepted the database.
func markScratch(ctx context.Context, db *sql.DB, dialect models.Dialect) error {
	_, err := db.ExecContext(ctx, "CREATE TABLE IF NOT EXISTS "+markerTable+
		" (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
	if err == nil {
		_, err = db.ExecContext(ctx, migrations.Rebind(migrations.Dialect(dialect), "INSERT INTO "+markerTable+" (id, note) VALUES (1, ?) ON CONFLICT DO NOTHING"),
			"scratch database of courseportal bench: its data is synthetic and is wiped by every run")
	}
	if err != nil {
		return fmt.Errorf("bench: unable to mark the database: %w", err)
	}
	return nil
}

// wipe removes what an earlier run seeded or created, keeping the schema,
// the migrated course and the signing key.
func wipe(ctx context.Context, db *sql.DB, dialect models.Dialect) error {
	stmts := []string{
		// Certificates restrict user deletion; the rest cascades from users.
		"DELETE FROM certificates", "DELETE FROM outbox", "DELETE FROM audit_log", "DELETE FROM login_failures", "DELETE FROM client_attempts",
		"DELETE FROM users", "DELETE FROM cohorts WHERE name LIKE 'Bench %'", "UPDATE cohorts SET seats_taken = 0",
	}
	if dialect == models.Postgres {
		stmts = []string{"TRUNCATE users, certificates, outbox, audit_log, login_failures, client_attempts RESTART IDENTITY CASCADE",
			"DELETE FROM cohorts WHERE name LIKE 'Bench %'", "UPDATE cohorts SET seats_taken = 0"}
	}
	for _, s := range stmts {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("bench: unable to wipe the previous run (%s): %w", s, err)
		}
	}
	return nil
}
