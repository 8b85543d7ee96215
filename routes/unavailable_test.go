package routes_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"
)

// appOn builds the application over store, logging into the returned buffer.
func appOn(t *testing.T, store *models.Store) (*fiber.App, *testdb.LogBuffer) {
	t.Helper()
	logs := &testdb.LogBuffer{}
	app := buildApp(t, store, slog.New(slog.NewTextHandler(logs, nil)), nil)
	t.Cleanup(func() {
		if err := app.Shutdown(); err != nil {
			t.Errorf("shutdown: %v", err)
		}
	})
	return app, logs
}

// plainResponse is a response read whole, without the harness's check that
// nothing answers 5xx: these tests expect 503s.
type plainResponse struct {
	Status int
	Header http.Header
	Body   string
}

func send(t *testing.T, app *fiber.App, req *http.Request) plainResponse {
	t.Helper()
	started := time.Now()
	res, err := app.Test(req, -1)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", req.Method, req.URL, err)
	}
	if took := time.Since(started); took > 5*time.Second {
		t.Errorf("%s %s took %s", req.Method, req.URL, took)
	}
	return plainResponse{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

// assertUnavailable checks a 503 with Retry-After, as JSON or as a page.
func assertUnavailable(t *testing.T, what string, r plainResponse, wantJSON bool) {
	t.Helper()
	if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") != "5" {
		t.Fatalf("%s: got %d, Retry-After %q, want 503 with Retry-After 5:\n%s", what, r.Status, r.Header.Get("Retry-After"), r.Body)
	}
	if !wantJSON {
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(r.Body, "cannot reach its database") {
			t.Fatalf("%s: not the error page:\n%s", what, r.Body)
		}
		return
	}
	var body struct {
		Error struct{ Code, Message string }
	}
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil || body.Error.Code != "unavailable" || body.Error.Message == "" {
		t.Fatalf("%s: want JSON error unavailable, got %v:\n%s", what, err, r.Body)
	}
	for _, leak := range []string{"dial", "SQLSTATE", "database is locked", "connection refused", "*"} {
		if strings.Contains(r.Body, leak) {
			t.Fatalf("%s: the answer shows internals (%q):\n%s", what, leak, r.Body)
		}
	}
}

// eventually polls check until it holds or the deadline passes.
func eventually(t *testing.T, within time.Duration, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(within)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("not within %s: %s", within, what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// tcpProxy forwards a local port to the database; down closes the port and
// every connection through it, as a crashed server would.
type tcpProxy struct {
	t      *testing.T
	target string
	addr   string
	mu     sync.Mutex
	ln     net.Listener
	conns  map[net.Conn]bool
}

func newProxy(t *testing.T, target string) *tcpProxy {
	p := &tcpProxy{t: t, target: target, addr: "127.0.0.1:0", conns: map[net.Conn]bool{}}
	p.up()
	t.Cleanup(p.down)
	return p
}

func (p *tcpProxy) up() {
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Fatalf("proxy: %v", err)
	}
	p.mu.Lock()
	p.ln, p.addr = ln, ln.Addr().String()
	p.mu.Unlock()
	go func() {
		for {
			client, err := ln.Accept()
			if err != nil {
				return
			}
			server, err := net.Dial("tcp", p.target)
			if err != nil {
				_ = client.Close()
				continue
			}
			p.mu.Lock()
			p.conns[client], p.conns[server] = true, true
			p.mu.Unlock()
			go func() { _, _ = io.Copy(server, client); _ = server.Close() }()
			go func() { _, _ = io.Copy(client, server); _ = client.Close() }()
		}
	}()
}

func (p *tcpProxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		_ = p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		_ = c.Close()
		delete(p.conns, c)
	}
}

func jsonGet(path string) *http.Request { return httptest.NewRequest(http.MethodGet, path, nil) }

func pageGet(path string) *http.Request {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.Header.Set("Accept", "text/html")
	return req
}

// TestPostgresOutageAnswers503 takes PostgreSQL away from a running portal:
// every request answers 503 with Retry-After, the outage is logged once,
// and the portal serves again by itself once the database is back.
func TestPostgresOutageAnswers503(t *testing.T) {
	if os.Getenv("TEST_DATABASE_URL") == "" {
		t.Skip("needs PostgreSQL: set TEST_DATABASE_URL")
	}
	u, err := url.Parse(testdb.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	proxy := newProxy(t, u.Host)
	u.Host = proxy.addr
	db, dialect := testdb.OpenDB(t, u.String())
	app, logs := appOn(t, models.NewStore(db, dialect, nil))
	if r := send(t, app, jsonGet("/api/v1/courses")); r.Status != http.StatusOK {
		t.Fatalf("before the outage: %d\n%s", r.Status, r.Body)
	}

	proxy.down()
	for range 3 {
		assertUnavailable(t, "API during the outage", send(t, app, jsonGet("/api/v1/courses")), true)
		assertUnavailable(t, "page during the outage", send(t, app, pageGet("/")), false)
	}
	if r := send(t, app, jsonGet("/readyz")); r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
		t.Fatalf("readyz during the outage: %d %v", r.Status, r.Header)
	}
	if n := logs.Count("database unavailable"); n != 1 {
		t.Fatalf("the outage was logged %d times, want once:\n%s", n, logs.String())
	}

	proxy.up()
	eventually(t, 10*time.Second, "the API answers 200 again", func() bool {
		return send(t, app, jsonGet("/api/v1/courses")).Status == http.StatusOK
	})
	if r := send(t, app, pageGet("/")); r.Status != http.StatusOK {
		t.Fatalf("home after the outage: %d", r.Status)
	}
	eventually(t, 5*time.Second, "the end of the outage is logged", func() bool {
		return logs.Count("database reachable again") == 1
	})
	if n := logs.Count("database unavailable"); n != 1 {
		t.Fatalf("the outage was logged %d times, want once", n)
	}
}

// TestSQLiteLockedAnswers503 holds SQLite's write lock past the busy
// timeout: writes answer 503 with Retry-After, reads go on, and writes are
// accepted again once the lock is released.
func TestSQLiteLockedAnswers503(t *testing.T) {
	path := filepath.Join(t.TempDir(), "locked.db")
	db, dialect := testdb.OpenDB(t, "sqlite:"+path)
	shortBusyTimeout(t, db)
	app, logs := appOn(t, models.NewStore(db, dialect, nil))

	locker, _ := testdb.OpenDB(t, "sqlite:"+path)
	lockTx := locker.Begin()
	if lockTx.Error != nil {
		t.Fatal(lockTx.Error)
	}
	// The locker's transaction is immediate (_txlock): it holds the write lock.
	if err := lockTx.Exec("UPDATE courses SET title = title").Error; err != nil {
		t.Fatal(err)
	}
	login := func() *http.Request {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions",
			strings.NewReader(`{"email":"nobody@example.org","password":"not the password"}`))
		req.Header.Set("Content-Type", "application/json")
		csrf := strings.Repeat("c", 43) // the double-submit pair: cookie and header agree
		req.Header.Set("Cookie", "csrf="+csrf)
		req.Header.Set("X-CSRF-Token", csrf)
		return req
	}
	for range 2 {
		assertUnavailable(t, "a write while SQLite is locked", send(t, app, login()), true)
	}
	if r := send(t, app, jsonGet("/api/v1/courses")); r.Status != http.StatusOK {
		t.Fatalf("reads should go on beside the lock: %d\n%s", r.Status, r.Body)
	}
	// A ping answers beside the lock, so this outage may end (and be logged
	// again) within the watch's second: only its start is checked here.
	if logs.Count("database unavailable") == 0 {
		t.Fatal("the outage was not logged")
	}

	if err := lockTx.Rollback().Error; err != nil {
		t.Fatal(err)
	}
	if r := send(t, app, login()); r.Status != http.StatusUnauthorized {
		t.Fatalf("after the lock: got %d, want 401 invalid_login:\n%s", r.Status, r.Body)
	}
	eventually(t, 5*time.Second, "the end of the outage is logged", func() bool {
		return logs.Count("database reachable again") >= 1
	})
}

// shortBusyTimeout keeps db to one connection and makes it give up on a
// lock after 200 ms instead of 15 s, so the test does not wait.
func shortBusyTimeout(t *testing.T, db *gorm.DB) {
	t.Helper()
	sqlDB, err := db.DB()
	if err != nil {
		t.Fatal(err)
	}
	sqlDB.SetMaxOpenConns(1)
	if err := db.Exec("PRAGMA busy_timeout = 200").Error; err != nil {
		t.Fatal(err)
	}
}
