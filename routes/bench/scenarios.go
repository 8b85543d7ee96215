package bench

import (
	"fmt"
	"net/url"
	"strconv"
	"sync/atomic"

	"courseportal/models/markdown"
	"courseportal/routes"

	"github.com/valyala/fasthttp"
)

// scenario is one kind of request the benchmark repeats.
type scenario struct {
	name    string
	request string // "GET /path", for the report
	conc    int
	// expect is the status a healthy server answers; a probe that gets 404
	// or 405 marks the scenario not available (a route not built yet).
	expect int
	fill   func(req *fasthttp.Request, worker, seq int)
	// ceiling scenarios do not run on the portal: no queries, no RSS.
	ceiling bool
	// csv: the probe counts the rows of the answer.
	csv bool
}

// traffic builds the requests of every scenario against one server.
type traffic struct {
	base                               string // http://127.0.0.1:PORT
	data                               *seeded
	visitor, visitorCSRF               string   // a visitor's csrf cookie and token, for joins
	studentCSRF                        []string // each student session's token
	runID                              string
	conc                               int
	joins                              atomic.Int64
	readerPath, coursePath, rosterPath string
	insightPath, insightCohortPath     string
}

// newTraffic prepares the requests, with a CSRF token for each seeded
// session and one visitor id for joins.
func newTraffic(base string, data *seeded, runID string, conc int) (*traffic, error) {
	course := "/learn/" + data.CourseSlug
	t := &traffic{base: base, data: data, runID: runID, conc: conc,
		readerPath: course + "/readings/" + data.ReadingSlug, coursePath: course,
		rosterPath:        "/admin/courses/" + data.CourseSlug + "/roster",
		insightPath:       fmt.Sprintf("/admin/courses/%s/readings/%s/insight?cohort=%d", data.CourseSlug, data.ReadingSlug, data.CohortID),
		insightCohortPath: fmt.Sprintf("/admin/courses/%s/cohorts/%d/insight", data.CourseSlug, data.CohortID)}
	var err error
	if t.visitor, err = newToken(); err != nil {
		return nil, err
	}
	if t.visitorCSRF, err = routes.VisitorCSRFToken(data.CSRFKey, t.visitor); err != nil {
		return nil, err
	}
	t.studentCSRF = make([]string, len(data.StudentTokens))
	for i, token := range data.StudentTokens {
		if t.studentCSRF[i], err = routes.SessionCSRFToken(data.CSRFKey, token); err != nil {
			return nil, err
		}
	}
	return t, nil
}

// student is the session token of a worker's seq-th request, and its CSRF
// token: each worker walks its own stride of the students, so every student
// is used.
func (t *traffic) student(worker, seq int) (session, csrf string) {
	i := (worker + seq*t.conc) % len(t.data.StudentTokens)
	return t.data.StudentTokens[i], t.studentCSRF[i]
}

// page fills a browser-like GET of a page by a signed-in person.
func (t *traffic) page(req *fasthttp.Request, url, token string) {
	req.SetRequestURI(url)
	req.Header.SetMethod(fasthttp.MethodGet)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.SetCookie("session", token)
	req.Header.SetCookie("csrf", t.visitor)
}

// scenarios returns the definitions by name.
func (t *traffic) scenarios(o Options) map[string]*scenario {
	getAs := func(path string) func(*fasthttp.Request, int, int) {
		u := t.base + path
		return func(req *fasthttp.Request, w, seq int) {
			session, _ := t.student(w, seq)
			t.page(req, u, session)
		}
	}
	staff := func(path string) func(*fasthttp.Request, int, int) {
		u := t.base + path
		return func(req *fasthttp.Request, _, _ int) { t.page(req, u, t.data.InstructorToken) }
	}
	m := map[string]*scenario{
		ScenarioReader: {request: "GET " + t.readerPath, conc: o.Concurrency, expect: 200, fill: getAs(t.readerPath)},
		ScenarioReaderHalf: {request: "GET " + t.readerPath + " at half the reader's rate", conc: o.Concurrency,
			expect: 200, fill: getAs(t.readerPath)},
		ScenarioCourse:    {request: "GET " + t.coursePath, conc: o.Concurrency, expect: 200, fill: getAs(t.coursePath)},
		ScenarioDashboard: {request: "GET /dashboard", conc: o.Concurrency, expect: 200, fill: getAs("/dashboard")},
		ScenarioRoster:    {request: "GET " + t.rosterPath, conc: o.Concurrency, expect: 200, fill: staff(t.rosterPath)},
		// One export at a time: the target is one large CSV's time and memory.
		ScenarioRosterCSV: {request: "GET " + t.rosterPath + ".csv", conc: 1, expect: 200, csv: true,
			fill: staff(t.rosterPath + ".csv")},
		ScenarioInsight: {request: "GET " + t.insightPath, conc: insightConcurrency, expect: 200,
			fill: staff(t.insightPath)},
		ScenarioInsightCohort: {request: "GET " + t.insightCohortPath, conc: insightConcurrency, expect: 200,
			fill: staff(t.insightCohortPath)},
		ScenarioProgress: {request: "PUT /api/v1/me/readings/" + t.data.ReadingSlug + "/progress", conc: o.Concurrency,
			expect: 200, fill: t.progress},
		ScenarioJoin: {request: "POST /join/" + t.data.CourseSlug + " (new account + enroll)", conc: o.JoinConcurrency,
			expect: 303, fill: t.join},
	}
	for name, s := range m {
		s.name = name
	}
	return m
}

// progress fills a reader script's progress report: below 100 %, so the
// scenario stays a steady stream of upserts rather than completions.
func (t *traffic) progress(req *fasthttp.Request, w, seq int) {
	req.SetRequestURI(t.base + "/api/v1/me/readings/" + t.data.ReadingSlug + "/progress")
	req.Header.SetMethod(fasthttp.MethodPut)
	req.Header.SetContentType("application/json")
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Accept-Encoding", "gzip")
	session, csrf := t.student(w, seq)
	req.Header.Set("X-CSRF-Token", csrf)
	req.Header.SetCookie("session", session)
	req.Header.SetCookie("csrf", t.visitor)
	k := seq*7 + w
	percent := 1 + k%99
	para := 1 + k%max(1, t.data.Paragraphs)
	req.SetBodyString(`{"course":"` + t.data.CourseSlug + `","percent":` + strconv.Itoa(percent) +
		`,"position":"` + markdown.ParagraphID(para) + `","seconds":30}`)
}

// join fills the one-form join of a new visitor: a new account each time.
func (t *traffic) join(req *fasthttp.Request, _, _ int) {
	n := t.joins.Add(1)
	req.SetRequestURI(t.base + "/join/" + t.data.CourseSlug)
	req.Header.SetMethod(fasthttp.MethodPost)
	req.Header.SetContentType("application/x-www-form-urlencoded")
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	req.Header.Set("Accept-Encoding", "gzip")
	req.Header.SetCookie("csrf", t.visitor)
	form := url.Values{}
	form.Set("full_name", "Bench Joiner "+strconv.FormatInt(n, 10))
	form.Set("email", "bench-join-"+t.runID+"-"+strconv.FormatInt(n, 10)+"@example.org")
	form.Set("password", seedPassword)
	form.Set("_csrf", t.visitorCSRF)
	req.SetBodyString(form.Encode())
}

// static is the ceiling: the same browser-like GET, of a static copy of the
// reader page.
func (t *traffic) static(ceilingURL string) *scenario {
	return &scenario{name: ScenarioStatic, request: "GET " + ceilingURL + " (static ceiling)", conc: t.conc,
		expect: 200, ceiling: true,
		fill: func(req *fasthttp.Request, w, seq int) {
			session, _ := t.student(w, seq)
			t.page(req, ceilingURL, session)
		}}
}
