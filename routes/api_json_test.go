package routes_test

import (
	"net/http"
	"regexp"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// goTypeWords are what a message leaks when it names Go types.
var goTypeWords = regexp.MustCompile(`\b(struct|int|int64|uint8|float64|bool|string|map|interface|slice)\b|\[\]`)

// TestJSONTypeErrorsSpeakPlainly sends wrong-typed bodies to every endpoint
// that reads JSON: each answers 400 or 422 with a message that names the
// field and the kind of value wanted, never a Go type.
func TestJSONTypeErrorsSpeakPlainly(t *testing.T) {
	e := newEnv(t)
	student := joinSeeded(t, e, "Typed Person")
	admin := e.login(testdb.User(t, e.store, models.RoleAdmin))
	reading := "/admin/courses/" + courseSlug + "/readings/" + readingSlug + "/check.json"
	attempts := "/api/v1/me/courses/" + courseSlug + "/readings/" + readingSlug + "/check/attempts"
	wrongBodies := []string{`[]`, `"text"`, `42`, `true`, `null`}
	endpoints := []struct {
		who    *client
		method string
		path   string
		fields map[string]string // body → the field the message must name
	}{
		{e.client(), http.MethodPost, "/api/v1/sessions", map[string]string{
			`{"email": 5, "password": "x"}`:            "email",
			`{"email": "a@b.c", "password": ["x"]}`:    "password",
			`{"email": "a@b.c", "password": {"a": 1}}`: "password",
		}},
		{student, http.MethodPut, progressURL, map[string]string{
			`{"course": "` + courseSlug + `", "percent": "ten"}`: "percent",
			`{"course": "` + courseSlug + `", "percent": 1.5}`:   "percent",
			`{"course": 7, "percent": 5}`:                        "course",
			`{"course": "` + courseSlug + `", "seconds": true}`:  "seconds",
			`{"course": "` + courseSlug + `", "percent": 1e40}`:  "percent",
		}},
		{student, http.MethodPost, attempts, map[string]string{
			`{"answers": "all"}`:          "answers",
			`{"answers": {"q1": "a"}}`:    "answers",
			`{"answers": {"q1": [1, 2]}}`: "answers",
		}},
		{admin, http.MethodPut, reading, map[string]string{
			`{"pass_percent": "half"}`:           "pass_percent",
			`{"questions": {"prompt": "x"}}`:     "questions",
			`{"questions": [{"prompt": 3}]}`:     "questions",
			`{"show_answers_after_fail": "yes"}`: "show_answers_after_fail",
			`{"max_attempts": [3]}`:              "max_attempts",
		}},
	}
	for _, ep := range endpoints {
		bodies := map[string]string{}
		for _, b := range wrongBodies {
			bodies[b] = ""
		}
		for b, f := range ep.fields {
			bodies[b] = f
		}
		for body, field := range bodies {
			res := ep.who.sendJSON(ep.method, ep.path, body)
			if res.Status != http.StatusBadRequest && res.Status != http.StatusUnprocessableEntity {
				t.Errorf("%s %s %s = %d, want 400 or 422\n%s", ep.method, ep.path, body, res.Status, res.Body)
				continue
			}
			e, _ := res.json(t)["error"].(map[string]any)
			msg, _ := e["message"].(string)
			if msg == "" || goTypeWords.MatchString(msg) {
				t.Errorf("%s %s %s: message %q names Go types or is empty", ep.method, ep.path, body, msg)
			}
			if field != "" && (e["field"] == nil || !regexp.MustCompile(`^`+regexp.QuoteMeta(field)+`\b`).MatchString(msg)) {
				t.Errorf("%s %s %s: message %q (field %v) does not name %s", ep.method, ep.path, body, msg, e["field"], field)
			}
		}
	}
}
