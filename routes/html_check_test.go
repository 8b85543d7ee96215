package routes_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"courseportal/models/testdb"
)

// nuChecker finds the Nu Html Checker: java (Debian's default-jre-headless)
// and the vnu.jar of the npm package vnu-jar, whose path VNU_JAR holds
// (.ci/run installs both). Without them the test skips, unless
// REQUIRE_TOOLS=1 (CI) makes their absence a failure.
func nuChecker(t *testing.T) (java, jar string) {
	t.Helper()
	java = testdb.Tool(t, "java", "default-jre-headless")
	jar = os.Getenv("VNU_JAR")
	if jar == "" {
		if os.Getenv("REQUIRE_TOOLS") == "1" {
			t.Fatal("VNU_JAR is not set: .ci/run installs the npm package vnu-jar and sets it")
		}
		t.Skip("VNU_JAR is not set: npm install vnu-jar and set VNU_JAR to its build/dist/vnu.jar to run the HTML checker")
	}
	if _, err := os.Stat(jar); err != nil {
		t.Fatalf("VNU_JAR: %v", err)
	}
	return java, jar
}

// nuMessage is one message of the checker's JSON output.
type nuMessage struct {
	Type      string `json:"type"`
	SubType   string `json:"subType"`
	URL       string `json:"url"`
	LastLine  int    `json:"lastLine"`
	FirstCol  int    `json:"firstColumn"`
	Message   string `json:"message"`
	Extract   string `json:"extract"`
	LastCol   int    `json:"lastColumn"`
	FirstLine int    `json:"firstLine"`
}

// TestEveryPageIsValidHTML runs the Nu Html Checker over the HTML of every
// page state of the tour and asks for zero errors. The pages are checked in
// one run of the checker: starting Java costs seconds.
func TestEveryPageIsValidHTML(t *testing.T) {
	t.Parallel()
	java, jar := nuChecker(t)
	tour := newPageTour(t)
	dir := t.TempDir()
	files := make([]string, 0, len(tour.states))
	names := map[string]string{}
	for i, s := range tour.states {
		file := filepath.Join(dir, fmt.Sprintf("%02d-%s.html", i, s.name))
		if err := os.WriteFile(file, []byte(s.fetch(t).Body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
		names[filepath.Base(file)] = s.name + " (" + s.path + ")"
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(java, append([]string{"-jar", jar, "--format", "json", "--stdout"}, files...)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run() // exits 1 when it found errors: the report says which
	var report struct {
		Messages []nuMessage `json:"messages"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &report); err != nil {
		t.Fatalf("the checker's report is not JSON (%v, %v):\n%s\n%s", err, runErr, stdout.String(), stderr.String())
	}
	errs := map[string][]string{}
	for _, m := range report.Messages {
		page := names[filepath.Base(strings.TrimPrefix(m.URL, "file:"))]
		if page == "" {
			page = m.URL
		}
		if m.Type != "error" && m.Type != "non-document-error" {
			t.Logf("%s: %s %s: line %d: %s", page, m.Type, m.SubType, m.LastLine, m.Message)
			continue
		}
		errs[page] = append(errs[page], fmt.Sprintf("line %d: %s\n      %s", m.LastLine, m.Message, strings.TrimSpace(m.Extract)))
	}
	pages := make([]string, 0, len(errs))
	for p := range errs {
		pages = append(pages, p)
	}
	sort.Strings(pages)
	for _, p := range pages {
		t.Errorf("%s: %d HTML errors:\n  %s", p, len(errs[p]), strings.Join(errs[p], "\n  "))
	}
	if len(errs) == 0 && runErr != nil {
		t.Fatalf("the checker failed without reporting an error: %v\n%s", runErr, stderr.String())
	}
	t.Logf("%d page states checked, %d messages", len(tour.states), len(report.Messages))
}
