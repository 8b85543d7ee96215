package models

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/glebarez/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"
)

// ErrPostgresBackup is the answer of backup and restore on PostgreSQL,
// whose own tools do it better.
var ErrPostgresBackup = errors.New("backup and restore work on SQLite; for PostgreSQL use pg_dump and pg_restore " +
	"(see \"Backups\" in the README)")

// BackupSQLite writes a consistent copy of the SQLite database at
// databaseURL to file while the portal may be writing to it: VACUUM INTO
// reads one snapshot. It refuses an existing file, and creates it readable
// by its owner only, since it holds the signing keys and password hashes.
func BackupSQLite(ctx context.Context, databaseURL, file string, log *slog.Logger) error {
	if dialect, err := DialectOf(databaseURL); err != nil || dialect != SQLite {
		return ErrPostgresBackup
	}
	path, err := SQLitePath(databaseURL)
	if err != nil {
		return err
	}
	if _, err := os.Stat(path); err != nil {
		return fmt.Errorf("backup: no database to back up at %s: %w", path, err)
	}
	// Created empty first, exclusively: an existing file is refused, and the
	// copy is never readable by others, even for a moment.
	out, err := os.OpenFile(file, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("backup: %s exists; refusing to overwrite it", file)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if err := out.Close(); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	db, _, err := OpenDatabase(ctx, databaseURL, log)
	if err == nil {
		err = db.WithContext(ctx).Exec("VACUUM INTO ?", file).Error
		closeQuietly(db)
	}
	if err != nil {
		_ = os.Remove(file)
		return fmt.Errorf("backup: unable to copy %s: %w", path, err)
	}
	return nil
}

// RestoreSQLite puts a backup back as the SQLite database of databaseURL.
// It refuses to replace a database (live or not): the place must be empty.
// The backup is checked first — SQLite's integrity check, and a courseportal
// schema version from 1 up to the latest that this build knows, which
// latest reads — and only then moved into place.
func RestoreSQLite(ctx context.Context, backup, databaseURL string, latest func(*sql.DB) (int64, error)) (version int64, err error) {
	if dialect, err := DialectOf(databaseURL); err != nil || dialect != SQLite {
		return 0, ErrPostgresBackup
	}
	path, err := SQLitePath(databaseURL)
	if err != nil {
		return 0, err
	}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if _, err := os.Lstat(p); err == nil {
			return 0, fmt.Errorf("restore: %s exists; refusing to overwrite a database: stop the portal and move it away, "+
				"or restore into an empty folder", p)
		}
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	staged := path + ".restoring"
	if err := copyNew(backup, staged); err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	// The staged name is a failed copy or a second link to the restored file:
	// removing it is tidying, and a failure leaves only a stray file.
	defer func() { _ = os.Remove(staged) }()
	if version, err = checkBackup(ctx, staged, latest); err != nil {
		return 0, fmt.Errorf("restore: %s: %w", backup, err)
	}
	// A link fails if the database appeared meanwhile, where a rename would
	// replace it.
	if err := os.Link(staged, path); err != nil {
		return 0, fmt.Errorf("restore: %w", err)
	}
	return version, nil
}

// checkBackup opens a copy read-only and checks it is an intact courseportal
// database this build can run.
func checkBackup(ctx context.Context, file string, latestOf func(*sql.DB) (int64, error)) (int64, error) {
	db, err := gorm.Open(sqlite.Open("file:"+file+"?mode=ro"), &gorm.Config{Logger: logger.Discard})
	if err != nil {
		return 0, fmt.Errorf("not a readable SQLite database: %w", err)
	}
	defer closeQuietly(db)
	var verdict []string
	if err := db.WithContext(ctx).Raw("PRAGMA integrity_check").Scan(&verdict).Error; err != nil {
		return 0, fmt.Errorf("not a readable SQLite database: %w", err)
	}
	if len(verdict) != 1 || verdict[0] != "ok" {
		return 0, fmt.Errorf("SQLite's integrity check failed: %v", verdict)
	}
	var version int64
	err = db.WithContext(ctx).Raw("SELECT COALESCE(MAX(version_id), 0) FROM goose_db_version WHERE is_applied").
		Scan(&version).Error
	if err != nil || version < 1 {
		return 0, errors.New("not a courseportal database (it has no schema version)")
	}
	sqlDB, err := db.DB()
	if err != nil {
		return 0, err
	}
	latest, err := latestOf(sqlDB)
	if err != nil {
		return 0, err
	}
	if version > latest {
		return 0, fmt.Errorf("its schema is at version %d but this build knows only up to %d; restore it with a newer courseportal",
			version, latest)
	}
	return version, nil
}

// copyNew copies src to a new file dst, readable by its owner only; dst is
// removed again when the copy fails.
func copyNew(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }() // read only: nothing to lose on close
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			_ = os.Remove(dst)
		}
	}()
	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Sync()
}

func closeQuietly(db *gorm.DB) {
	if sqlDB, err := db.DB(); err == nil {
		_ = sqlDB.Close()
	}
}
