package migrations

import (
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/pressly/goose/v3"
)

// sqlVersions lists the versions of the SQL migrations embedded for one
// dialect's folder, in order.
func sqlVersions(t *testing.T, folder string) []int64 {
	t.Helper()
	names, err := fs.Glob(files, folder+"/*.sql")
	if err != nil {
		t.Fatalf("list %s: %v", folder, err)
	}
	versions := make([]int64, 0, len(names))
	for _, name := range names {
		v, err := goose.NumericComponent(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		versions = append(versions, v)
	}
	slices.Sort(versions)
	return versions
}

func TestBothDialectsCarryTheSameVersions(t *testing.T) {
	postgres, sqlite := sqlVersions(t, "postgres"), sqlVersions(t, "sqlite")
	if len(postgres) == 0 {
		t.Fatal("no SQL migrations embedded")
	}
	if !slices.Equal(postgres, sqlite) {
		t.Fatalf("postgres/ has versions %v, sqlite/ has %v: every SQL migration is written for both", postgres, sqlite)
	}
	for _, m := range goMigrations("sqlite") {
		if slices.Contains(postgres, m.Version) {
			t.Errorf("version %d is both a Go migration and a SQL file", m.Version)
		}
	}
}

func TestEveryVersionIsInTheListAtopMigrationsGo(t *testing.T) {
	src, err := os.ReadFile("migrations.go")
	if err != nil {
		t.Fatal(err)
	}
	listed := map[int64]bool{}
	for _, m := range regexp.MustCompile(`(?m)^//\t(\d+)\s`).FindAllSubmatch(src, -1) {
		v, err := strconv.ParseInt(string(m[1]), 10, 64)
		if err != nil {
			t.Fatal(err)
		}
		listed[v] = true
	}
	versions := sqlVersions(t, "postgres")
	for _, m := range goMigrations("sqlite") {
		versions = append(versions, m.Version)
	}
	for _, v := range versions {
		if !listed[v] {
			t.Errorf("version %d is missing from the version list in the package comment of migrations.go", v)
		}
	}
}
