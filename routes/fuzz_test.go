package routes

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// withBody runs fn on a request context holding body as contentType.
func withBody(app *fiber.App, contentType string, body []byte, fn func(c *fiber.Ctx)) {
	var fctx fasthttp.RequestCtx
	fctx.Request.Header.SetMethod(fiber.MethodPost)
	fctx.Request.Header.SetContentType(contentType)
	fctx.Request.SetBody(body)
	c := app.AcquireCtx(&fctx)
	defer app.ReleaseCtx(c)
	fn(c)
}

// mustBeClientError fails unless err is nil or a 4xx the client can read.
func mustBeClientError(t *testing.T, what string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	he, ok := classify(err)
	if !ok || he.Status < 400 || he.Status > 499 || he.Message == "" {
		t.Fatalf("%s: %v is not a clear 4xx", what, err)
	}
}

// The JSON decoder answers any body with the decoded value or a clear 4xx,
// and accepts only valid JSON.
func FuzzDecodeJSON(f *testing.F) {
	app := fiber.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		withBody(app, fiber.MIMEApplicationJSON, body, func(c *fiber.Ctx) {
			var progress progressBody
			err := decodeJSON(c, &progress)
			mustBeClientError(t, "progress body", err)
			if err == nil && !json.Valid(bytes.TrimSpace(body)) {
				t.Fatalf("invalid JSON %q was accepted", body)
			}
		})
	})
}

// The form parsers read any URL-encoded body without failing, keep only
// clean text in the fields they clean, and never keep a redirect off-site.
func FuzzFormParsers(f *testing.F) {
	app := fiber.New()
	f.Fuzz(func(t *testing.T, body []byte) {
		withBody(app, fiber.MIMEApplicationForm, body, func(c *fiber.Ctx) {
			account, err := parseAccountForm(c)
			mustBeClientError(t, "account form", err)
			if account.Next != "" && (!strings.HasPrefix(account.Next, "/") || strings.HasPrefix(account.Next, "//") ||
				strings.ContainsAny(account.Next, "\\\t\r\n")) {
				t.Fatalf("next %q leaves the site", account.Next)
			}
			shown := account.display()
			if shown.Password != "" || !cleanField(shown.FullName) || !cleanField(shown.Email) {
				t.Fatalf("the form shown back holds %+v", shown)
			}
			cohort, err := parseCohortForm(c)
			mustBeClientError(t, "cohort form", err)
			week, err := parseWeekForm(c)
			mustBeClientError(t, "week form", err)
			course, err := parseCourseForm(c)
			mustBeClientError(t, "course form", err)
			reading, err := parseReadingForm(c)
			mustBeClientError(t, "reading form", err)
			for _, form := range []any{cohort, week, course, reading} {
				v := reflect.ValueOf(form)
				for i := range v.NumField() {
					if s, ok := v.Field(i).Interface().(string); ok && !cleanField(s) {
						t.Fatalf("%T.%s = %q is not clean text", form, v.Type().Field(i).Name, s)
					}
				}
			}
			_, _ = cohort.input()
			_ = week.validate()
			_ = course.validate()
		})
	})
}

func cleanField(s string) bool { return utf8.ValidString(s) && !strings.ContainsRune(s, 0) }

// Any cell the CSV writer writes reads back as the same single cell, and no
// cell starts with what a spreadsheet would run as a formula.
func FuzzCSVCell(f *testing.F) {
	f.Fuzz(func(t *testing.T, cell string) {
		var buf bytes.Buffer
		if err := writeCSV(&buf, false, [][]string{{cell, "next"}}); err != nil {
			if errors.Is(err, csv.ErrFieldCount) {
				return
			}
			t.Fatalf("writing %q: %v", cell, err)
		}
		records, err := csv.NewReader(&buf).ReadAll()
		if err != nil || len(records) != 1 || len(records[0]) != 2 || records[0][1] != "next" {
			t.Fatalf("cell %q read back as %q (%v)", cell, records, err)
		}
		got := records[0][0]
		// A CSV reader turns a quoted line break \r\n into \n.
		if want := strings.ReplaceAll(csvSafe(cell), "\r\n", "\n"); got != want {
			t.Fatalf("cell %q read back as %q, want %q", cell, got, want)
		}
		if got != "" && strings.ContainsRune("=+-@\t\r", rune(got[0])) {
			t.Fatalf("cell %q starts with a formula character", got)
		}
	})
}
