// Package testdb gives each test a fresh, migrated database: an SQLite file in
// a temporary folder, or, when TEST_DATABASE_URL names a PostgreSQL server, a
// new schema there that is dropped afterwards.
package testdb

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"courseportal/migrations"
	"courseportal/models"

	"gorm.io/gorm"
)

// Start is the fixed moment test clocks begin at.
var Start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// Quiet is a logger that discards everything.
var Quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// URL returns the database URL for a fresh test database and a cleanup.
func URL(t testing.TB) string {
	t.Helper()
	pg := os.Getenv("TEST_DATABASE_URL")
	if pg == "" {
		return "sqlite:" + filepath.Join(t.TempDir(), "test.db")
	}
	schema := "t_" + randomHex(t)
	admin, _, err := models.OpenDatabase(context.Background(), pg, Quiet)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("testdb: create schema: %v", err)
	}
	t.Cleanup(func() {
		if err := admin.Exec("DROP SCHEMA " + schema + " CASCADE").Error; err != nil {
			t.Errorf("testdb: drop schema: %v", err)
		}
		closeDB(t, admin)
	})
	u, err := url.Parse(pg)
	if err != nil {
		t.Fatalf("testdb: TEST_DATABASE_URL: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open returns a migrated store on a fresh database with a fixed clock.
func Open(t testing.TB) (*models.Store, *models.FixedClock) {
	t.Helper()
	db, dialect := OpenDB(t, URL(t))
	clock := &models.FixedClock{T: Start}
	return models.NewStore(db, dialect, clock), clock
}

// OpenDB opens and migrates the database at databaseURL, closing it when the
// test ends.
func OpenDB(t testing.TB, databaseURL string) (*gorm.DB, models.Dialect) {
	t.Helper()
	ctx := context.Background()
	db, dialect, err := models.OpenDatabase(ctx, databaseURL, Quiet)
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	t.Cleanup(func() { closeDB(t, db) })
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatalf("testdb: %v", err)
	}
	if err := migrations.Up(ctx, sqlDB, migrations.Dialect(dialect), Quiet); err != nil {
		t.Fatalf("testdb: %v", err)
	}
	return db, dialect
}

// closeDB closes a database a test opened, failing the test if it cannot.
func closeDB(t testing.TB, db *gorm.DB) {
	sqlDB, err := db.DB()
	if err == nil {
		err = sqlDB.Close()
	}
	if err != nil {
		t.Errorf("testdb: close the database: %v", err)
	}
}

func randomHex(t testing.TB) string {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b)
}
