package routes_test

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestReadmeAPIExamplesRun runs the curl session of the README's API
// section against a test server: each request must answer the status named
// first in the comment above it. BASE becomes the server's address and CODE
// a certificate issued in the test; the account is signed up with the
// README's address and password. With curl on PATH the requests run through
// curl itself; without it, the same requests (method, headers, body, URL)
// are replayed with net/http, and the test says so.
func TestReadmeAPIExamplesRun(t *testing.T) {
	steps := readmeAPISteps(t)
	e := newEnv(t)
	_, code := completeSeeded(t, e, "Анна Петрова")
	var email, password string
	for _, s := range steps {
		if m := readmeCredentials.FindStringSubmatch(s.line); m != nil {
			email, password = m[1], m[2]
		}
	}
	if email == "" {
		t.Fatal("the README's API example signs in with no email and password")
	}
	if res := e.client().signup("Layla Karimi", email, password); res.Status != http.StatusSeeOther {
		t.Fatalf("sign up as the README's account = %d\n%s", res.Status, res.Body)
	}
	run := replayWithNetHTTP
	if curl, err := exec.LookPath("curl"); err == nil {
		run = func(t *testing.T, args []string) (int, []byte) { return runCurl(t, curl, args) }
		t.Log("running the README's requests with curl")
	} else {
		t.Log("curl is not installed: replaying the README's requests with net/http")
	}

	vars := map[string]string{}
	override := map[string]string{"BASE": e.serve(), "CODE": code}
	requests := 0
	for _, s := range steps {
		if s.curl == nil {
			vars[s.assign] = expand(t, s.value, vars)
			if value, set := override[s.assign]; set {
				vars[s.assign] = value
			}
			continue
		}
		args := make([]string, len(s.curl))
		for i, w := range s.curl {
			args[i] = expand(t, w, vars)
		}
		status, body := run(t, args)
		requests++
		if status != s.want {
			t.Fatalf("README: %s\nanswered %d, want %d:\n%s", strings.Join(args, " "), status, s.want, body)
		}
		if s.assign != "" {
			var reply map[string]any
			if err := json.Unmarshal(body, &reply); err != nil {
				t.Fatalf("README: %s answered %s, not JSON", strings.Join(args, " "), body)
			}
			value, _ := reply[s.field].(string)
			if value == "" {
				t.Fatalf("README: the answer has no %q: %s", s.field, body)
			}
			vars[s.assign] = value
		}
	}
	if requests < 5 {
		t.Fatalf("the README's API example sends %d requests; it shows at least five", requests)
	}
}

// readmeStep is a line of the README's example: an assignment, a curl
// request, or a request whose JSON field is assigned (NAME=$(curl … | jq -r
// .FIELD)).
type readmeStep struct {
	line   string
	assign string
	value  string
	curl   []string // curl's arguments
	field  string
	want   int // the status the comment above names
}

var (
	readmeCredentials = regexp.MustCompile(`"email": "([^"]+)", "password": "([^"]+)"`)
	readmeAssignment  = regexp.MustCompile(`^([A-Z_]+)=(.*)$`)
	readmeStatus      = regexp.MustCompile(`\b([1-5][0-9][0-9])\b`)
)

// readmeAPISteps reads the first sh block of the README's API section.
func readmeAPISteps(t *testing.T) []readmeStep {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, section, found := strings.Cut(string(raw), "\n## API\n")
	_, block, fenced := strings.Cut(section, "\n```sh\n")
	block, _, closed := strings.Cut(block, "\n```\n")
	if !found || !fenced || !closed {
		t.Fatal("README.md has no ## API section with an sh block")
	}
	var steps []readmeStep
	want := 0
	for _, line := range strings.Split(strings.ReplaceAll(block, "\\\n", " "), "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "":
			continue
		case strings.HasPrefix(line, "#"):
			want = 0
			if m := readmeStatus.FindStringSubmatch(line); m != nil {
				want, _ = strconv.Atoi(m[1])
			}
			continue
		}
		steps = append(steps, readmeParse(t, line, want))
	}
	return steps
}

// readmeParse understands the three forms of line the example uses.
func readmeParse(t *testing.T, line string, want int) readmeStep {
	t.Helper()
	s := readmeStep{line: line, want: want}
	if m := readmeAssignment.FindStringSubmatch(line); m != nil {
		s.assign = m[1]
		inner, isCommand := strings.CutPrefix(m[2], "$(")
		if !isCommand {
			s.value = shellWords(t, m[2])[0]
			return s
		}
		inner, ok := strings.CutSuffix(inner, ")")
		request, jq, piped := strings.Cut(inner, "| jq -r .")
		if !ok || !piped {
			t.Fatalf("README: the test does not understand %q", line)
		}
		s.field, line = strings.TrimSpace(jq), strings.TrimSpace(request)
	}
	words := shellWords(t, line)
	if words[0] != "curl" {
		t.Fatalf("README: the test does not understand %q", line)
	}
	if want == 0 {
		t.Fatalf("README: no status in the comment above %q", line)
	}
	s.curl = words[1:]
	return s
}

// shellWords splits a line as sh does for the quoting the example uses:
// 'single' quotes literally, "double" quotes and bare words keeping $NAME
// for expand (marked by a NUL before it).
func shellWords(t *testing.T, line string) []string {
	t.Helper()
	var words []string
	var word strings.Builder
	inWord := false
	for i := 0; i < len(line); i++ {
		ch := line[i]
		switch ch {
		case ' ', '\t':
			if inWord {
				words, inWord = append(words, word.String()), false
				word.Reset()
			}
			continue
		case '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				t.Fatalf("README: unclosed quote in %q", line)
			}
			word.WriteString(line[i+1 : i+1+end])
			i += end + 1
		case '"':
			end := strings.IndexByte(line[i+1:], '"')
			if end < 0 {
				t.Fatalf("README: unclosed quote in %q", line)
			}
			word.WriteString(strings.ReplaceAll(line[i+1:i+1+end], "$", "\x00$"))
			i += end + 1
		case '$':
			word.WriteString("\x00$")
		default:
			word.WriteByte(ch)
		}
		inWord = true
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}

var shellVariable = regexp.MustCompile(`\x00\$([A-Z_]+)`)

// expand replaces $NAME by its value; an unset name fails the test.
func expand(t *testing.T, word string, vars map[string]string) string {
	t.Helper()
	return shellVariable.ReplaceAllStringFunc(word, func(v string) string {
		value, set := vars[v[2:]]
		if !set {
			t.Fatalf("README: $%s is used before it is set", v[2:])
		}
		return value
	})
}

// runCurl runs curl with the README's arguments, adding only where the body
// goes and that the status is printed.
func runCurl(t *testing.T, curl string, args []string) (int, []byte) {
	t.Helper()
	out := filepath.Join(t.TempDir(), "body")
	cmd := exec.Command(curl, append(args, "--max-time", "10", "-o", out, "-w", "%{http_code}")...)
	status, err := cmd.Output()
	if err != nil {
		t.Fatalf("curl %s: %v", strings.Join(args, " "), err)
	}
	body, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	n, err := strconv.Atoi(string(status))
	if err != nil {
		t.Fatalf("curl printed %q, not a status", status)
	}
	return n, body
}

// replayWithNetHTTP sends the request the curl arguments describe: -X, -H,
// -d and the URL; -sS only quiets curl.
func replayWithNetHTTP(t *testing.T, args []string) (int, []byte) {
	t.Helper()
	method, target, body := "", "", ""
	header := http.Header{}
	for i := 0; i < len(args); i++ {
		switch a := args[i]; {
		case a == "-sS" || a == "-s" || a == "-S":
		case (a == "-X" || a == "-H" || a == "-d") && i+1 < len(args):
			i++
			switch a {
			case "-X":
				method = args[i]
			case "-H":
				name, value, _ := strings.Cut(args[i], ":")
				header.Add(name, strings.TrimSpace(value))
			case "-d":
				body = args[i]
			}
		case !strings.HasPrefix(a, "-") && target == "":
			target = a
		default:
			t.Fatalf("README: replaying without curl does not know %q", a)
		}
	}
	if method == "" {
		method = map[bool]string{true: http.MethodPost, false: http.MethodGet}[body != ""]
	}
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = header
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded") // as curl -d sends
	}
	res, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, target, err)
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, raw
}
