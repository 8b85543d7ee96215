package routes

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"courseportal/models"

	sqlite "github.com/glebarez/go-sqlite"
	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgconn"
)

// retryAfter is what a 503 asks clients to wait: about the time PostgreSQL
// takes to restart after a crash.
const retryAfter = 5 * time.Second

// errUnavailable is what the client sees while the database does not answer.
func errUnavailable() *httpError {
	return &httpError{Status: http.StatusServiceUnavailable, Code: "unavailable",
		Message: "The portal cannot reach its database right now. Please try again in a few seconds."}
}

// SQLite's primary result codes that mean "another connection holds the
// database": they reach us only once the busy timeout has run out.
const (
	sqliteBusy   = 5 // SQLITE_BUSY
	sqliteLocked = 6 // SQLITE_LOCKED
)

// databaseUnavailable reports whether err says the database could not be
// reached or gave no connection in time, rather than that the request or
// the statement was wrong. Only typed checks: no message matching.
func databaseUnavailable(err error) bool {
	if errors.Is(err, driver.ErrBadConn) || errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return true
	}
	var connectErr *pgconn.ConnectError
	var opErr *net.OpError
	if errors.As(err, &connectErr) || errors.As(err, &opErr) || pgconn.Timeout(err) {
		return true
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return postgresUnavailable(pgErr.Code)
	}
	var liteErr *sqlite.Error
	if errors.As(err, &liteErr) {
		code := liteErr.Code() & 0xff // the primary code under an extended one
		return code == sqliteBusy || code == sqliteLocked
	}
	return false
}

// postgresUnavailable reports whether a SQLSTATE says the server cannot
// serve now: connection exceptions (class 08), shutting down or starting up
// (57P01–57P03), or out of connection slots (53300).
func postgresUnavailable(sqlstate string) bool {
	switch sqlstate {
	case "57P01", "57P02", "57P03", "53300":
		return true
	}
	return strings.HasPrefix(sqlstate, "08")
}

// outage logs a database outage once when it begins and once when it ends,
// not on every request answered 503 meanwhile. The end is noticed by
// pinging the database once a second until it answers.
type outage struct {
	log  *slog.Logger
	ping func(context.Context) error
	// stop ends the watch when the application shuts down.
	stop context.Context

	mu    sync.Mutex
	since time.Time // zero while the database answers
}

// begin records that the database did not answer; the first call of an
// outage logs it and starts watching for the end.
func (o *outage) begin(cause error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.since.IsZero() {
		return
	}
	o.since = time.Now()
	o.log.Error("database unavailable: answering 503 until it is back", "error", cause)
	go o.watch()
}

func (o *outage) watch() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-o.stop.Done():
			return
		case <-tick.C:
		}
		if o.ping(o.stop) != nil {
			continue
		}
		o.mu.Lock()
		o.log.Info("database reachable again", "outage", time.Since(o.since).Round(time.Millisecond))
		o.since = time.Time{}
		o.mu.Unlock()
		return
	}
}

// retryAfterHeader is the Retry-After value of a 503, in seconds.
var retryAfterHeader = strconv.Itoa(int(retryAfter / time.Second))

// newOutage watches the store's database for the application's lifetime.
func newOutage(app *fiber.App, store *models.Store, log *slog.Logger) *outage {
	stop, cancel := context.WithCancel(context.Background())
	app.Hooks().OnShutdown(func() error { cancel(); return nil })
	return &outage{log: log, ping: store.Ping, stop: stop}
}
