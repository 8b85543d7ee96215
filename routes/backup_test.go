package routes_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// TestBackupWhileWritingRestoresEveryAcknowledgedWrite backs an SQLite
// portal up while writers run, restores the copy into a fresh folder, and
// finds there every write acknowledged before the backup began, and the
// signing key.
func TestBackupWhileWritingRestoresEveryAcknowledgedWrite(t *testing.T) {
	live := "sqlite:" + filepath.Join(t.TempDir(), "data", "courseportal.db")
	db, dialect := testdb.OpenDB(t, live)
	store := models.NewStore(db, dialect, nil)
	ctx := context.Background()
	courseportalBinary(t) // built before the writers start
	key, err := store.CredentialKey(ctx)
	if err != nil {
		t.Fatal(err)
	}

	// Writers record each acknowledged write; the backup notes how many
	// were acknowledged before it started.
	var acked sync.Map
	var next atomic.Int64
	stop := make(chan struct{})
	var writers sync.WaitGroup
	for range 4 {
		writers.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				email := fmt.Sprintf("writer-%d@example.org", next.Add(1))
				if _, err := store.ReserveLoginAttempt(ctx, email, ""); err != nil {
					t.Errorf("write: %v", err)
					return
				}
				acked.Store(email, true)
			}
		})
	}
	for next.Load() < 50 { // the writers are under way
		runtime.Gosched()
	}
	var before []string
	acked.Range(func(k, _ any) bool { before = append(before, k.(string)); return true })
	file := filepath.Join(t.TempDir(), "portal.backup")
	out, backupErr := runCLI(t, live, "", "backup", file)
	close(stop)
	writers.Wait()
	if backupErr != nil || !strings.Contains(out, "Backed up to") {
		t.Fatalf("backup: %v\n%s", backupErr, out)
	}
	if info, err := os.Stat(file); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, mode %v, want 0600", err, info.Mode().Perm())
	}
	if out, err := runCLI(t, live, "", "backup", file); err == nil || !strings.Contains(out, "refusing to overwrite") {
		t.Fatalf("a backup over an existing file was not refused: %v\n%s", err, out)
	}

	fresh := "sqlite:" + filepath.Join(t.TempDir(), "data", "courseportal.db")
	if out, err := runCLI(t, fresh, "", "restore", file); err != nil || !strings.Contains(out, "Restored") {
		t.Fatalf("restore: %v\n%s", err, out)
	}
	if out, err := runCLI(t, fresh, "", "restore", file); err == nil || !strings.Contains(out, "refusing to overwrite") {
		t.Fatalf("a restore over a database was not refused: %v\n%s", err, out)
	}
	if out, err := runCLI(t, live, "", "restore", file); err == nil || !strings.Contains(out, "refusing to overwrite") {
		t.Fatalf("a restore over the live database was not refused: %v\n%s", err, out)
	}

	restoredDB, _ := testdb.OpenDB(t, fresh)
	restored := models.NewStore(restoredDB, models.SQLite, nil)
	var found []string
	if err := restoredDB.Model(&models.LoginFailure{}).Where("email LIKE ?", "writer-%").Pluck("email", &found).Error; err != nil {
		t.Fatal(err)
	}
	have := map[string]bool{}
	for _, e := range found {
		have[e] = true
	}
	for _, e := range before {
		if !have[e] {
			t.Errorf("%s was acknowledged before the backup began but is not in it", e)
		}
	}
	if len(before) == 0 || len(found) < len(before) {
		t.Fatalf("%d writes before the backup, %d restored", len(before), len(found))
	}
	restoredKey, err := restored.CredentialKey(ctx)
	if err != nil || !restoredKey.Equal(key) {
		t.Fatalf("the signing key was not restored: %v", err)
	}
}

// TestRestoreRefusesWhatIsNotACourseportalBackup checks the file before it
// takes a database's place, and sends PostgreSQL users to its own tools.
func TestRestoreRefusesWhatIsNotACourseportalBackup(t *testing.T) {
	dir := t.TempDir()
	text := writeFile(t, dir, "notes.txt", strings.Repeat("not a database\n", 100))
	other := filepath.Join(dir, "other.db")
	otherDB, _, err := models.OpenDatabase(context.Background(), "sqlite:"+other, testdb.Quiet)
	if err != nil {
		t.Fatal(err)
	}
	if err := otherDB.Exec("CREATE TABLE notes (body TEXT)").Error; err != nil {
		t.Fatal(err)
	}
	if err := otherDB.Exec("PRAGMA wal_checkpoint(TRUNCATE)").Error; err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct{ file, want string }{
		"a text file":            {text, "not a readable SQLite database"},
		"another SQLite file":    {other, "not a courseportal database"},
		"a file that is missing": {filepath.Join(dir, "missing.db"), "no such file"},
	} {
		target := filepath.Join(t.TempDir(), "courseportal.db")
		out, err := runCLI(t, "sqlite:"+target, "", "restore", c.file)
		if err == nil || !strings.Contains(out, c.want) {
			t.Errorf("%s: %v\n%s", name, err, out)
		}
		if _, err := os.Stat(target); err == nil {
			t.Errorf("%s: a database was left at the target", name)
		}
	}
	for _, command := range []string{"backup", "restore"} {
		out, err := runCLI(t, "postgres://nobody@127.0.0.1:1/courseportal", "", command, filepath.Join(dir, "x"))
		if err == nil || !strings.Contains(out, "pg_dump") {
			t.Errorf("%s on PostgreSQL: %v\n%s", command, err, out)
		}
	}
}
