package routes_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"courseportal/views/i18n"
)

// consoleSources are the files whose validation and error sentences reach
// console pages: the console's handlers and forms, and the store's rules
// that only staff meet.
var consoleSources = []string{"admin*.go", "console_guards.go", "../models/cohort.go", "../models/content.go",
	"../models/reading_edit.go", "../models/reading_direction.go", "../models/staff.go", "../models/check.go",
	"../models/roster*.go", "../models/outbox.go", "../models/enrollment_move.go", "../models/insight_nudge.go",
	"../models/mail_reminders.go", "../models/user_edit.go", "../models/password_reset.go"}

// sentenceCalls are the functions whose argument at the index is a message
// for a person.
var sentenceCalls = map[string]int{"errBadRequest": 0, "errNotFound": 0, "errStatus": 2, "consoleNotFound": 1,
	"Invalid": 1, "queryInt": 2, "checkLength": 1}

// TestConsoleSentencesAreInTheCatalogue reads the console's code for the
// sentences it words in English (validation and error messages, which the
// JSON API sends as they are) and fails on any that the catalogue cannot put
// in the page's language, so that one the walk in the pseudo-locale does not
// reach is caught too.
func TestConsoleSentencesAreInTheCatalogue(t *testing.T) {
	langs, err := i18n.WithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	pseudo, _ := langs.Lookup(i18n.Pseudo)
	found := 0
	for _, s := range consoleSentences(t) {
		found++
		if got := pseudo.Known(s); !strings.HasPrefix(got, "⟦") {
			t.Errorf("the catalogue lacks %q", s)
		}
	}
	if found < 50 {
		t.Fatalf("found only %d sentences: the reading of the code is broken", found)
	}
}

// lengthLabels are the names checkLength puts before "is required." and
// "is too long (N characters at most).".
var lengthLabel = regexp.MustCompile(`^The [a-z' ]+$`)

// consoleSentences collects the sentences of consoleSources: string
// literals, fmt.Sprintf formats (with 7 for each %d) and literals assigned
// to a form's errors; a label given to checkLength stands for both of its
// sentences.
func consoleSentences(t *testing.T) []string {
	t.Helper()
	var out []string
	fset := token.NewFileSet()
	for _, pattern := range consoleSources {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("%s: %v", pattern, err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if i, ok := sentenceCalls[calleeName(n)]; ok && i < len(n.Args) {
						if s, ok := sentenceOf(n.Args[i]); ok {
							if calleeName(n) == "checkLength" && lengthLabel.MatchString(s) {
								out = append(out, s+" is required.", s+" is too long (7 characters at most).")
							} else {
								out = append(out, s)
							}
						}
					}
				case *ast.AssignStmt:
					if ix, ok := n.Lhs[0].(*ast.IndexExpr); ok && len(n.Rhs) == 1 {
						if id, ok := ix.X.(*ast.Ident); ok && (id.Name == "errs" || id.Name == "errors") {
							if s, ok := sentenceOf(n.Rhs[0]); ok {
								out = append(out, s)
							}
						}
					}
				}
				return true
			})
		}
	}
	return out
}

func calleeName(call *ast.CallExpr) string {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return fn.Name
	case *ast.SelectorExpr:
		return fn.Sel.Name
	}
	return ""
}

// sentenceOf reads a string literal, or the format of fmt.Sprintf with its
// %d filled in, or a constant; ok is false for anything built otherwise.
func sentenceOf(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil && strings.Contains(s, " ")
	case *ast.CallExpr:
		if calleeName(e) == "Sprintf" && len(e.Args) > 0 {
			if s, ok := sentenceOf(e.Args[0]); ok && !strings.Contains(s, "%s") {
				return strings.ReplaceAll(s, "%d", "7"), true
			}
		}
	case *ast.Ident:
		if e.Obj != nil {
			if spec, ok := e.Obj.Decl.(*ast.ValueSpec); ok && len(spec.Values) == 1 {
				return sentenceOf(spec.Values[0])
			}
		}
	}
	return "", false
}
