package routes_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"courseportal/models"
)

const seededCheckAPI = "/api/v1/me/courses/" + courseSlug + "/readings/" + readingSlug + "/check"

func TestSeededCheckCitesTheArticle(t *testing.T) {
	e := newEnv(t)
	check := seededCheck(t, e)
	if check.PassPercent != 80 || check.MaxAttempts != nil || check.ShowAnswersAfterFail || len(check.Questions) != 5 {
		t.Fatalf("seeded check = pass %d, limit %v, show %v, %d questions", check.PassPercent, check.MaxAttempts,
			check.ShowAnswersAfterFail, len(check.Questions))
	}
	c := joinSeeded(t, e, "Citation Reader")
	reader := c.get("/learn/" + courseSlug + "/readings/" + readingSlug).Body
	paragraph := regexp.MustCompile(`(?s)<p id="(p-\d+)">(.*?)</p>`)
	text := map[string]string{}
	for _, m := range paragraph.FindAllStringSubmatch(reader, -1) {
		text[m[1]] = strings.Join(strings.Fields(regexp.MustCompile(`<[^>]+>`).ReplaceAllString(m[2], "")), " ")
	}
	// Each right answer is stated in the paragraph its question cites.
	evidence := []string{"On 18th March, Moscow plans to hold a conference", "by 1st May 2021",
		"hosting several rounds of the historic peace talks in its capital, Doha since 2019",
		"peace conference next month in Istanbul", "only elections could determine the government"}
	for i, q := range check.Questions {
		if q.Kind != models.KindSingle || len(q.Options) != 4 {
			t.Errorf("question %d: kind %s with %d options", i+1, q.Kind, len(q.Options))
		}
		cited := text[q.Anchor()]
		if !strings.Contains(cited, evidence[i]) {
			t.Errorf("question %d cites %s, which does not say %q:\n%s", i+1, q.Anchor(), evidence[i], cited)
		}
	}
}

func TestCheckNeverSendsTheAnswersBeforeSubmission(t *testing.T) {
	e := newEnv(t)
	check := seededCheck(t, e)
	c := joinSeeded(t, e, "Curious Student")
	page := c.get(seededCheckPath)
	if page.Status != http.StatusOK {
		t.Fatalf("check page = %d", page.Status)
	}
	api := c.get(seededCheckAPI)
	if api.Status != http.StatusOK {
		t.Fatalf("check API = %d %s", api.Status, api.Body)
	}
	for _, q := range check.Questions {
		mustContain(t, page.Body, fmt.Sprintf(`name="q-%d"`, q.ID), q.Prompt)
		for _, o := range q.Options {
			mustContain(t, page.Body, fmt.Sprintf(`value="%d"`, o.ID))
			if o.Feedback != "" && (strings.Contains(page.Body, o.Feedback) || strings.Contains(api.Body, jsonText(o.Feedback))) {
				t.Errorf("feedback %q reached the browser before submission", o.Feedback)
			}
		}
	}
	for _, leak := range []string{"correct", "feedback", "Right answer", "paragraph"} {
		if strings.Contains(strings.ToLower(api.Body), strings.ToLower(leak)) {
			t.Errorf("the check JSON mentions %q before submission:\n%s", leak, api.Body)
		}
	}
	for _, leak := range []string{"correct", "Right answer", "is-right"} {
		if strings.Contains(page.Body, leak) {
			t.Errorf("the check page contains %q before submission", leak)
		}
	}
	got := api.json(t)
	if got["pass_percent"] != float64(80) || got["attempts_left"] != nil || got["passed"] != false || len(got["questions"].([]any)) != 5 {
		t.Fatalf("check JSON = %v", got)
	}
	q := got["questions"].([]any)[0].(map[string]any)
	if q["kind"] != "single" || q["id"] != check.Questions[0].IDString() || len(q["options"].([]any)) != 4 {
		t.Fatalf("first question JSON = %v", q)
	}
}

func jsonText(s string) string {
	b, _ := json.Marshal(s)
	return strings.Trim(string(b), `"`)
}

func TestCheckFormFailThenPass(t *testing.T) {
	e := newEnv(t)
	openSeededCertificates(t, e)
	check := seededCheck(t, e)
	c := joinSeeded(t, e, "Second Try")
	// An unanswered question is refused without using an attempt.
	partial := checkForm(check, true)
	partial.Del("q-" + check.Questions[4].IDString())
	res := c.postForm(seededCheckPath, partial)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "Answer every question") {
		t.Fatalf("partial answers = %d", res.Status)
	}
	mustContain(t, res.Body, fmt.Sprintf(`value="%d" checked`, rightOption(check.Questions[0]).ID))

	res = c.postForm(seededCheckPath, checkForm(check, false))
	if res.Status != http.StatusOK {
		t.Fatalf("wrong answers = %d", res.Status)
	}
	mustContain(t, res.Body, "0 % — not passed yet", "Wrong", firstWrong(check.Questions[0]).Feedback,
		`href="/learn/`+courseSlug+`/readings/`+readingSlug+`#p-4"`)
	if strings.Contains(res.Body, "Right answer:") {
		t.Error("a failed attempt showed the right answers, which this check keeps until it is passed")
	}
	if home := c.get("/learn/" + courseSlug); strings.Contains(home.Body, "Course completed on") {
		t.Fatal("a failed check completed the course")
	}
	res = passSeededCheck(t, e, c)
	mustContain(t, res.Body, "You completed the course", "/certificates/")
	home := c.get("/learn/" + courseSlug)
	mustContain(t, home.Body, "Course completed on", "Download certificate", "100 % complete")

	api := c.get(seededCheckAPI).json(t)
	if api["passed"] != true {
		t.Fatalf("check JSON after passing = %v", api)
	}
}

func TestCheckAPIAttempts(t *testing.T) {
	e := newEnv(t)
	check := seededCheck(t, e)
	c := joinSeeded(t, e, "API Student")
	body := func(right bool) string {
		answers := map[string][]string{}
		for k, v := range checkForm(check, right) {
			answers[strings.TrimPrefix(k, "q-")] = v
		}
		b, _ := json.Marshal(map[string]any{"answers": answers})
		return string(b)
	}
	res := c.sendJSON(http.MethodPost, seededCheckAPI+"/attempts", body(false))
	if res.Status != http.StatusCreated {
		t.Fatalf("attempt = %d %s", res.Status, res.Body)
	}
	got := res.json(t)
	results := got["results"].([]any)
	first := results[0].(map[string]any)
	if got["score_percent"] != float64(0) || got["passed"] != false || len(results) != 5 ||
		first["question"] != check.Questions[0].IDString() || first["correct"] != false ||
		first["paragraph"] != "p-4" || first["feedback"] != firstWrong(check.Questions[0]).Feedback {
		t.Fatalf("failed attempt JSON = %s", res.Body)
	}
	res = c.sendJSON(http.MethodPost, seededCheckAPI+"/attempts", body(true))
	if res.Status != http.StatusCreated || res.json(t)["passed"] != true || res.json(t)["score_percent"] != float64(100) {
		t.Fatalf("right attempt = %d %s", res.Status, res.Body)
	}
	for name, bad := range map[string]string{
		"no answers":      `{}`,
		"not ids":         `{"answers": {"x": ["y"]}}`,
		"unknown option":  `{"answers": {"` + check.Questions[0].IDString() + `": ["1"]}}`,
		"answers a list":  `{"answers": []}`,
		"too many values": `{"answers": {"1": ["1","2","3","4","5","6","7"]}}`,
	} {
		if res := c.sendJSON(http.MethodPost, seededCheckAPI+"/attempts", bad); res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s = %d %s, want 422", name, res.Status, res.Body)
		}
	}
	stranger := e.client()
	stranger.signup("Not Enrolled", "stranger3@example.org", "s3cret-passphrase")
	if res := stranger.get(seededCheckAPI); res.Status != http.StatusForbidden || res.errorCode(t) != "not_enrolled" {
		t.Fatalf("not enrolled = %d %s", res.Status, res.Body)
	}
	if res := c.get("/api/v1/me/courses/" + courseSlug + "/readings/nope/check"); res.Status != http.StatusNotFound {
		t.Fatalf("unknown reading = %d", res.Status)
	}
}

func TestCheckAttemptLimitAnswers409(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loginAs(models.RoleAdmin)
	export := admin.get("/admin/courses/" + courseSlug + "/readings/" + readingSlug + "/check.json")
	limited := strings.Replace(export.Body, `"max_attempts":null`, `"max_attempts":1`, 1)
	if res := admin.sendJSON(http.MethodPut, "/admin/courses/"+courseSlug+"/readings/"+readingSlug+"/check.json", limited); res.Status != http.StatusOK {
		t.Fatalf("import = %d %s", res.Status, res.Body)
	}
	check := seededCheck(t, e)
	c := joinSeeded(t, e, "One Shot")
	if res := c.postForm(seededCheckPath, checkForm(check, false)); res.Status != http.StatusOK {
		t.Fatalf("first attempt = %d", res.Status)
	}
	res := c.postForm(seededCheckPath, checkForm(check, true))
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "used every attempt") {
		t.Fatalf("second attempt = %d", res.Status)
	}
	res = c.sendJSON(http.MethodPost, seededCheckAPI+"/attempts", `{"answers": {}}`)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty answers = %d", res.Status)
	}
	answers := map[string][]string{}
	for k, v := range checkForm(check, true) {
		answers[strings.TrimPrefix(k, "q-")] = v
	}
	b, _ := json.Marshal(map[string]any{"answers": answers})
	res = c.sendJSON(http.MethodPost, seededCheckAPI+"/attempts", string(b))
	if res.Status != http.StatusConflict || res.errorCode(t) != "no_attempts_left" {
		t.Fatalf("API attempt over the limit = %d %s", res.Status, res.Body)
	}
	if got := c.get(seededCheckAPI).json(t); got["attempts_left"] != float64(0) {
		t.Fatalf("attempts_left = %v", got["attempts_left"])
	}
}

func TestCheckExportImportRoundTrip(t *testing.T) {
	e := newEnv(t)
	admin, _ := e.loginAs(models.RoleAdmin)
	path := "/admin/courses/" + courseSlug + "/readings/" + readingSlug + "/check.json"
	first := admin.get(path)
	if first.Status != http.StatusOK || !strings.Contains(first.Body, `"correct":true`) {
		t.Fatalf("export = %d %s", first.Status, first.Body)
	}
	put := admin.sendJSON(http.MethodPut, path, first.Body)
	if put.Status != http.StatusOK || put.Body != first.Body {
		t.Fatalf("import of the export = %d\n%s\nwant\n%s", put.Status, put.Body, first.Body)
	}
	if again := admin.get(path); again.Body != first.Body {
		t.Fatalf("export after the round trip differs:\n%s\nwant\n%s", again.Body, first.Body)
	}
	// A new question without ids is added; a bad document is refused whole.
	var doc map[string]any
	if err := json.Unmarshal([]byte(first.Body), &doc); err != nil {
		t.Fatal(err)
	}
	doc["questions"] = append(doc["questions"].([]any), map[string]any{"prompt": "Added", "kind": "multiple",
		"paragraph": "p-8", "options": []any{map[string]any{"text": "a", "correct": true}, map[string]any{"text": "b", "correct": true}}})
	b, _ := json.Marshal(doc)
	if res := admin.sendJSON(http.MethodPut, path, string(b)); res.Status != http.StatusOK || len(seededCheck(t, e).Questions) != 6 {
		t.Fatalf("adding a question = %d %s", res.Status, res.Body)
	}
	for name, bad := range map[string]string{
		"paragraph past the end": strings.Replace(first.Body, `"paragraph":"p-4"`, `"paragraph":"p-99"`, 1),
		"no right option":        strings.ReplaceAll(first.Body, `"correct":true`, `"correct":false`),
		"pass mark 0":            strings.Replace(first.Body, `"pass_percent":80`, `"pass_percent":0`, 1),
		"one option":             `{"pass_percent":80,"questions":[{"prompt":"Q","kind":"single","paragraph":"p-1","options":[{"text":"a","correct":true}]}]}`,
		"bad kind":               `{"pass_percent":80,"questions":[{"prompt":"Q","kind":"many","paragraph":"p-1","options":[{"text":"a","correct":true},{"text":"b"}]}]}`,
		"not json":               `{"pass_percent":`,
	} {
		res := admin.sendJSON(http.MethodPut, path, bad)
		if res.Status != http.StatusUnprocessableEntity && res.Status != http.StatusBadRequest {
			t.Errorf("%s = %d %s, want 4xx", name, res.Status, res.Body)
		}
	}
	if len(seededCheck(t, e).Questions) != 6 {
		t.Fatal("a refused import changed the check")
	}
}

func TestMarkAsCompleteTooSoonThenAccepted(t *testing.T) {
	e := newEnv(t)
	ctx := t.Context()
	openSeededCertificates(t, e)
	removeSeededCheck(t, e)
	course, err := e.store.CourseBySlug(ctx, courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	r, err := e.store.ReadingBySlug(ctx, course.ID, readingSlug)
	if err != nil {
		t.Fatal(err)
	}
	minimum := r.MinimumOpen()
	if minimum != time.Duration(r.Minutes())*30*time.Second || minimum <= 0 {
		t.Fatalf("seeded minimum = %s for a %d-minute reading", minimum, r.Minutes())
	}
	c := joinSeeded(t, e, "Quick Clicker")
	reader := c.get("/learn/" + courseSlug + "/readings/" + readingSlug)
	mustContain(t, reader.Body, "Mark as complete", "Available from")
	completeURL := "/learn/" + courseSlug + "/readings/" + readingSlug + "/complete"
	res := c.postForm(completeURL, nil)
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "opens in") {
		t.Fatalf("mark as complete at once = %d", res.Status)
	}
	req := url.Values{"_csrf": {c.csrf()}}
	jsonRes := c.do(formRequestAccepting(completeURL, req, "application/json"))
	if jsonRes.Status != http.StatusConflict || jsonRes.errorCode(t) != "too_soon" {
		t.Fatalf("JSON mark as complete at once = %d %s", jsonRes.Status, jsonRes.Body)
	}
	left := jsonRes.json(t)["error"].(map[string]any)["seconds_left"]
	if left != float64(minimum/time.Second) {
		t.Fatalf("seconds_left = %v, want %d", left, minimum/time.Second)
	}
	e.clock.Advance(minimum - time.Second)
	if res := c.postForm(completeURL, nil); res.Status != http.StatusConflict {
		t.Fatalf("a second early = %d", res.Status)
	}
	e.clock.Advance(time.Second)
	res = c.postForm(completeURL, nil)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("after the minimum = %d %s", res.Status, res.Body)
	}
	mustContain(t, c.get("/learn/"+courseSlug).Body, "Course completed on")
}

func TestSeededCourseIsNotReadyUntilOpened(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Early Bird")
	mustContain(t, e.client().get("/courses/"+courseSlug).Body, "Certificates open once the full course is published")
	mustContain(t, c.get("/learn/"+courseSlug).Body, "Certificates open once the full course is published")
	passSeededCheck(t, e, c)
	var certs int64
	if err := e.store.DB().Model(&models.Certificate{}).Count(&certs).Error; err != nil {
		t.Fatal(err)
	}
	if certs != 0 {
		t.Fatal("a course that is not ready issued a certificate")
	}
	home := c.get("/learn/" + courseSlug)
	mustContain(t, home.Body, "Completed", "Certificates open once the full course is published")
	// Staff open certificates on the course form: the student completes.
	admin, _ := e.loginAs(models.RoleAdmin)
	course, err := e.store.CourseBySlug(t.Context(), courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"title": {course.Title}, "subtitle": {course.Subtitle}, "description": {course.Description},
		"provider": {course.Provider}, "contact_email": {course.ContactEmail}, "contact_url": {course.ContactURL},
		"contact_phone": {course.ContactPhone}, "published": {"1"}, "certificates_open": {"1"}}
	if res := admin.postForm("/admin/courses/"+courseSlug, form); res.Status != http.StatusSeeOther {
		t.Fatalf("open certificates on the course form = %d %s", res.Status, res.Body)
	}
	home = c.get("/learn/" + courseSlug)
	mustContain(t, home.Body, "Course completed on", "Download certificate")
	if strings.Contains(home.Body, "Certificates open once") {
		t.Error("the course home still says certificates are not open")
	}
	var cert models.Certificate
	if err := e.store.DB().Take(&cert).Error; err != nil {
		t.Fatal(err)
	}
	var audit int64
	if err := e.store.DB().Model(&models.AuditEntry{}).Where("action = ? AND detail LIKE ?", "course.update", "%certificates_open%").
		Count(&audit).Error; err != nil || audit != 1 {
		t.Fatalf("audit entries for opening certificates = %d, %v", audit, err)
	}
	// What the certificate says, everywhere.
	want := "passed its knowledge check with at least 80 %"
	mustContain(t, e.client().get("/certificates/"+cert.Code).Body, "What it certifies", want)
	if !strings.Contains(cert.Criteria, want) {
		t.Fatalf("criteria = %q", cert.Criteria)
	}
}

// formRequestAccepting is a form POST that asks for the given type.
func formRequestAccepting(path string, form url.Values, accept string) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", accept)
	return req
}

func TestSeededCheckRightAnswersAreNotAllInOnePlace(t *testing.T) {
	e := newEnv(t)
	places := map[int]bool{}
	for _, q := range seededCheck(t, e).Questions {
		places[rightOption(q).Position] = true
	}
	if len(places) < 3 {
		t.Fatalf("the right answers sit in %d positions; picking one position should not pass", len(places))
	}
}

func TestConsoleAuthorsAndAnalysesTheCheck(t *testing.T) {
	e := newEnv(t)
	openSeededCertificates(t, e)
	check := seededCheck(t, e)
	// Three students: two answer the first question wrongly on their first try.
	for i, right := range []bool{true, false, false} {
		c := joinSeeded(t, e, fmt.Sprintf("Analysed %d", i))
		if res := c.postForm(seededCheckPath, checkForm(check, right)); res.Status != http.StatusOK {
			t.Fatalf("attempt = %d", res.Status)
		}
	}
	instructor, _ := e.instructorOf(mustCourse(t, e))
	path := "/admin/courses/" + courseSlug + "/readings/" + readingSlug + "/check"
	page := instructor.get(path)
	if page.Status != http.StatusOK {
		t.Fatalf("editor = %d", page.Status)
	}
	mustContain(t, page.Body, "3 students have taken the check", "Right on first attempt: <strong>33 %</strong> (1 of 3)",
		"separation 1.00", "Most get it wrong", `<option value="p-4" selected>p-4: On 18th March, Moscow plans to hold a conference to`,
		check.Questions[0].Prompt)
	preview := instructor.get(path + "/preview")
	mustContain(t, preview.Body, "Preview", check.Questions[0].Prompt)
	if strings.Contains(preview.Body, rightOption(check.Questions[0]).Feedback) || strings.Contains(preview.Body, "Submit answers") {
		t.Fatal("the preview shows feedback or can be submitted")
	}
	// Add a question through the form (the blank slot is q5), keeping the others.
	form := url.Values{"pass_percent": {"60"}, "max_attempts": {"5"}}
	for i, q := range check.Questions {
		p := fmt.Sprintf("q%d.", i)
		form.Set(p+"id", q.IDString())
		form.Set(p+"prompt", q.Prompt)
		form.Set(p+"kind", q.Kind)
		form.Set(p+"paragraph", q.Anchor())
		for j, o := range q.Options {
			op := fmt.Sprintf("%so%d.", p, j)
			form.Set(op+"id", o.IDString())
			form.Set(op+"text", o.Body)
			form.Set(op+"feedback", o.Feedback)
			if o.Correct {
				form.Set(op+"correct", "1")
			}
		}
	}
	for k, v := range map[string]string{"q5.kind": "multiple", "q5.prompt": "Which cities host conferences?",
		"q5.paragraph": "p-1", "q5.o0.text": "Moscow", "q5.o0.correct": "1", "q5.o1.text": "Istanbul",
		"q5.o1.correct": "1", "q5.o2.text": "Paris"} {
		form.Set(k, v)
	}
	res := instructor.postForm(path, form)
	if res.Status != http.StatusSeeOther {
		t.Fatalf("save = %d\n%s", res.Status, res.Body)
	}
	saved := seededCheck(t, e)
	if len(saved.Questions) != 6 || saved.PassPercent != 60 || *saved.MaxAttempts != 5 ||
		saved.Questions[0].ID != check.Questions[0].ID || saved.Questions[5].Kind != models.KindMultiple {
		t.Fatalf("saved check: %d questions, pass %d", len(saved.Questions), saved.PassPercent)
	}
	// A question without a right option is refused with the form kept.
	form.Del("q5.o0.correct")
	form.Del("q5.o1.correct")
	res = instructor.postForm(path, form)
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "needs a right option") ||
		!strings.Contains(res.Body, "Which cities host conferences?") {
		t.Fatalf("invalid save = %d", res.Status)
	}
}

func mustCourse(t *testing.T, e *env) *models.Course {
	t.Helper()
	course, err := e.store.CourseBySlug(t.Context(), courseSlug)
	if err != nil {
		t.Fatal(err)
	}
	return course
}
