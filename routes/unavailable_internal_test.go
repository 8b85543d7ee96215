package routes

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"path/filepath"
	"testing"
	"time"

	"courseportal/models"

	_ "github.com/glebarez/go-sqlite" // registers the "sqlite" driver
	"github.com/jackc/pgx/v5/pgconn"
)

// deadPort is a loopback address nobody listens on.
func deadPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return addr
}

// TestDatabaseUnavailableClassifiesDriverErrors feeds the classifier the
// errors the drivers really return, and errors that must stay what they are.
func TestDatabaseUnavailableClassifiesDriverErrors(t *testing.T) {
	addr := deadPort(t)
	ctx := context.Background()
	_, connectErr := pgconn.Connect(ctx, "postgres://postgres@"+addr+"/x?sslmode=disable&connect_timeout=2")
	_, dialErr := net.DialTimeout("tcp", addr, 2*time.Second)

	// A pool of one whose connection is held: the next statement waits for
	// the pool until its deadline.
	db, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "pool.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := db.Close(); err != nil {
			t.Error(err)
		}
	}()
	db.SetMaxOpenConns(1)
	held, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := held.Close(); err != nil {
			t.Error(err)
		}
	}()
	waitCtx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	_, poolErr := db.ExecContext(waitCtx, "SELECT 1")
	if _, err := held.ExecContext(ctx, "CREATE TABLE t (id INTEGER PRIMARY KEY)"); err != nil {
		t.Fatal(err)
	}
	_, uniqueErr := held.ExecContext(ctx, "INSERT INTO t (id) VALUES (1), (1)")
	_, syntaxErr := held.ExecContext(ctx, "SELEC 1")

	for _, c := range []struct {
		name string
		err  error
		want bool
	}{
		{"PostgreSQL refuses connections", connectErr, true},
		{"a dial that is refused", dialErr, true},
		{"no pooled connection in time", fmt.Errorf("store: unable to read: %w", poolErr), true},
		{"a bad connection", fmt.Errorf("store: %w", driver.ErrBadConn), true},
		{"PostgreSQL shutting down", &pgconn.PgError{Code: "57P01"}, true},
		{"PostgreSQL starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"PostgreSQL out of connection slots", &pgconn.PgError{Code: "53300"}, true},
		{"a unique violation", uniqueErr, false},
		{"a syntax error", syntaxErr, false},
		{"PostgreSQL unique violation", &pgconn.PgError{Code: "23505"}, false},
		{"not found", models.ErrNotFound, false},
		{"a plain failure", errors.New("something else"), false},
	} {
		if c.err == nil {
			t.Fatalf("%s: the driver returned no error", c.name)
		}
		if got := databaseUnavailable(c.err); got != c.want {
			t.Errorf("%s (%T: %v): unavailable = %v, want %v", c.name, c.err, c.err, got, c.want)
		}
	}
}
