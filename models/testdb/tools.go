package testdb

import (
	"os"
	"os/exec"
	"testing"
)

// Tool returns the path of a command-line tool a test checks against, or
// skips the test saying what to install; with REQUIRE_TOOLS=1 (as in CI) a
// missing tool fails it instead.
func Tool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s not found (install the Debian package %s)", name, debianPackage)
		}
		t.Skipf("%s not found (install the Debian package %s)", name, debianPackage)
	}
	return p
}
