// Package metrics counts what the portal does in the Prometheus text format:
// requests by route pattern, latency, the database pool, the outbox queue,
// mail, sign-in failures and the course events. Everything is registered in
// a registry the Metrics owns, served by Handler on a listener of its own
// (METRICS_ADDR), never on the public application.
package metrics

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

const namespace = "courseportal"

// Metrics holds the portal's collectors; it is the store's models.Events.
type Metrics struct {
	registry       *prometheus.Registry
	log            *slog.Logger
	requests       *prometheus.CounterVec
	latency        *prometheus.HistogramVec
	enrollments    *prometheus.CounterVec
	completions    prometheus.Counter
	certificates   prometheus.Counter
	loginFailures  prometheus.Counter
	loginThrottles prometheus.Counter
	mailSent       prometheus.Counter
	mailFailed     *prometheus.CounterVec
}

// New registers the collectors of a portal over store and makes the store
// report its events to them.
func New(store *models.Store, log *slog.Logger) (*Metrics, error) {
	m := &Metrics{registry: prometheus.NewRegistry(), log: log}
	counter := func(name, help string) prometheus.Counter {
		return prometheus.NewCounter(prometheus.CounterOpts{Namespace: namespace, Name: name, Help: help})
	}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "http_requests_total",
		Help: "HTTP requests answered, by route pattern, method and status."}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: namespace,
		Name: "http_request_duration_seconds", Help: "Time to answer HTTP requests, by route pattern and method.",
		Buckets: []float64{.002, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}}, []string{"route", "method"})
	m.enrollments = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "enrollments_total",
		Help: "New enrollments, seated (active) or on the waitlist (waitlisted)."}, []string{"status"})
	m.completions = counter("course_completions_total", "Enrollments that completed their course.")
	m.certificates = counter("certificates_issued_total", "Certificates issued on completion.")
	m.loginFailures = counter("login_failures_total", "Sign-ins with a wrong email or password.")
	m.loginThrottles = counter("login_throttled_total", "Sign-ins refused for too many recent failures.")
	m.mailSent = counter("mail_sent_total", "Outbox messages delivered.")
	m.mailFailed = prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: namespace, Name: "mail_failed_total",
		Help: "Failed delivery attempts: retried later, or given up."}, []string{"outcome"})
	sqlDB, err := store.DB().DB()
	if err != nil {
		return nil, err
	}
	for _, c := range []prometheus.Collector{
		m.requests, m.latency, m.enrollments, m.completions, m.certificates, m.loginFailures,
		m.loginThrottles, m.mailSent, m.mailFailed,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		// sql.DBStats: connections open, in use and idle, waits for one.
		collectors.NewDBStatsCollector(sqlDB, string(store.Dialect())),
		&outboxDepth{store: store},
	} {
		if err := m.registry.Register(c); err != nil {
			return nil, err
		}
	}
	store.SetEvents(m)
	return m, nil
}

// Handler serves the registry in the Prometheus text format. A collector
// that fails (the outbox count during an outage) is left out of the scrape
// rather than failing it.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorLog:      slog.NewLogLogger(m.log.Handler(), slog.LevelWarn),
		ErrorHandling: promhttp.ContinueOnError,
		Registry:      m.registry,
	})
}

// Middleware counts and times every request by its route pattern (never
// the raw URL, whose ids and codes would make a series per student). It
// runs the error handler itself, as Fiber's logger does, so the status it
// records is the one the client gets.
func (m *Metrics) Middleware(handleError fiber.ErrorHandler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		started := time.Now()
		if err := c.Next(); err != nil {
			if err := handleError(c, err); err != nil {
				return err
			}
		}
		route := routeLabel(c)
		method := c.Method()
		m.requests.WithLabelValues(route, method, strconv.Itoa(c.Response().StatusCode())).Inc()
		m.latency.WithLabelValues(route, method).Observe(time.Since(started).Seconds())
		return nil
	}
}

// routeLabel is the pattern of the route that answered. A request answered
// by middleware (a refused CSRF token, an unknown address) has no pattern
// of its own: it is "other".
func routeLabel(c *fiber.Ctx) string {
	r := c.Route()
	if r == nil || r.Method == "USE" || r.Path == "" {
		return "other"
	}
	return r.Path
}

// The store's events.

// Enrolled implements models.Events.
func (m *Metrics) Enrolled(waitlisted bool) {
	status := "active"
	if waitlisted {
		status = "waitlisted"
	}
	m.enrollments.WithLabelValues(status).Inc()
}

// CourseCompleted implements models.Events: the completion and its certificate.
func (m *Metrics) CourseCompleted() {
	m.completions.Inc()
	m.certificates.Inc()
}

// LoginFailed implements models.Events.
func (m *Metrics) LoginFailed() { m.loginFailures.Inc() }

// LoginThrottled implements models.Events.
func (m *Metrics) LoginThrottled() { m.loginThrottles.Inc() }

// MailSent implements models.Events.
func (m *Metrics) MailSent() { m.mailSent.Inc() }

// MailFailed implements models.Events.
func (m *Metrics) MailFailed(gaveUp bool) {
	outcome := "retry"
	if gaveUp {
		outcome = "given_up"
	}
	m.mailFailed.WithLabelValues(outcome).Inc()
}

// outboxDepth reads the queue's depth at scrape time.
type outboxDepth struct{ store *models.Store }

// outboxCountLimit bounds the count, so a slow database cannot hold a scrape.
const outboxCountLimit = 2 * time.Second

var outboxDepthDesc = prometheus.NewDesc(namespace+"_outbox_pending",
	"Outbox messages waiting to be sent (read at scrape time).", nil, nil)

// Describe implements prometheus.Collector.
func (o *outboxDepth) Describe(ch chan<- *prometheus.Desc) { ch <- outboxDepthDesc }

// Collect implements prometheus.Collector.
func (o *outboxDepth) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), outboxCountLimit)
	defer cancel()
	n, err := o.store.PendingMailCount(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxDepthDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, float64(n))
}
