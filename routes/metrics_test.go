package routes_test

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/mail"
	"courseportal/models/testdb"
	"courseportal/routes/metrics"
)

// acceptingSender takes every message, as a working SMTP server would.
type acceptingSender struct{}

func (acceptingSender) Send(context.Context, *mail.Message) error { return nil }

// scrape reads the metrics as Prometheus would: series → value.
func scrape(t *testing.T, m *metrics.Metrics) map[string]float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("scrape = %d:\n%s", rec.Code, rec.Body)
	}
	series := map[string]float64{}
	lines := bufio.NewScanner(rec.Body)
	for lines.Scan() {
		line := lines.Text()
		if strings.HasPrefix(line, "#") || line == "" {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			t.Fatalf("bad sample %q: %v", line, err)
		}
		series[line[:i]] = v
	}
	return series
}

// TestMetricsCountAJourney runs a student's journey and a few bad sign-ins
// through the application, and finds each step in the scrape.
func TestMetricsCountAJourney(t *testing.T) {
	store, clock := testdb.Open(t)
	m, err := metrics.New(store, testdb.Quiet)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, app: buildApp(t, store, testdb.Quiet, m), store: store, clock: clock, mfaLogins: map[int64]int{}}
	before := scrape(t, m)
	if before[`courseportal_outbox_pending`] != 0 || before[`courseportal_certificates_issued_total`] != 0 {
		t.Fatalf("a fresh portal reports activity: %v", before)
	}

	openSeededCertificates(t, e)
	c := joinSeeded(t, e, "Mina Karimi")
	reader := "/learn/" + courseSlug + "/readings/" + readingSlug
	if res := c.get(reader); res.Status != http.StatusOK {
		t.Fatalf("reader = %d", res.Status)
	}
	passSeededCheck(t, e, c) // completes the reading, the course, and issues the certificate
	queued := scrape(t, m)[`courseportal_outbox_pending`]
	if queued < 2 { // the welcome and the certificate
		t.Fatalf("outbox depth = %v, want the enrollment and certificate mail", queued)
	}
	if _, err := mail.NewWorker(store, acceptingSender{}, testdb.Quiet).SendDue(context.Background()); err != nil {
		t.Fatal(err)
	}
	stranger := e.client()
	for range models.LoginFailureLimit + 1 {
		stranger.postForm("/login", url.Values{"email": {"mina.karimi@example.org"}, "password": {"wrong guess"}})
	}

	after := scrape(t, m)
	for series, want := range map[string]float64{
		`courseportal_enrollments_total{status="active"}`:                                                       1,
		`courseportal_course_completions_total`:                                                                 1,
		`courseportal_certificates_issued_total`:                                                                1,
		`courseportal_mail_sent_total`:                                                                          queued,
		`courseportal_outbox_pending`:                                                                           0,
		`courseportal_login_failures_total`:                                                                     models.LoginFailureLimit,
		`courseportal_login_throttled_total`:                                                                    1,
		`courseportal_http_requests_total{method="POST",route="/join/:slug",status="303"}`:                      1,
		`courseportal_http_requests_total{method="GET",route="/learn/:slug/readings/:reading",status="200"}`:    1,
		`courseportal_http_requests_total{method="POST",route="/login",status="429"}`:                           1,
		`courseportal_http_request_duration_seconds_count{method="GET",route="/learn/:slug/readings/:reading"}`: 1,
	} {
		if got := after[series]; got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
	for series := range after {
		if strings.Contains(series, readingSlug) || strings.Contains(series, courseSlug) {
			t.Errorf("a series carries a raw URL: %s", series)
		}
	}
	for _, series := range []string{`go_sql_in_use_connections{db_name="` + string(store.Dialect()) + `"}`,
		`go_sql_wait_count_total{db_name="` + string(store.Dialect()) + `"}`,
		`go_sql_wait_duration_seconds_total{db_name="` + string(store.Dialect()) + `"}`} {
		if _, ok := after[series]; !ok {
			t.Errorf("no %s in the scrape", series)
		}
	}
}
