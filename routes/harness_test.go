package routes_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
	"courseportal/routes"
	"courseportal/routes/metrics"
	"courseportal/views"

	"github.com/gofiber/fiber/v2"
)

// env is one test's application over a fresh database.
type env struct {
	t     testing.TB
	app   *fiber.App
	store *models.Store
	clock *models.FixedClock
	// mfaLogins counts the sign-ins of fixture users with a second factor.
	mfaLogins map[int64]int
	url       string
}

func newEnv(t testing.TB) *env {
	t.Helper()
	return newEnvWith(t, func(*routes.Options) {})
}

// newEnvWith is newEnv with options changed by configure.
func newEnvWith(t testing.TB, configure func(*routes.Options)) *env {
	t.Helper()
	return newEnvAt(t, testdb.URL(t), &models.FixedClock{T: testdb.Start}, configure)
}

// instance is a second application on the same database and clock, like
// another server behind the same load balancer.
func (e *env) instance() *env {
	e.t.Helper()
	return newEnvAt(e.t, e.url, e.clock)
}

func newEnvAt(t testing.TB, databaseURL string, clock *models.FixedClock, configure ...func(*routes.Options)) *env {
	t.Helper()
	db, dialect := testdb.OpenDB(t, databaseURL)
	store := models.NewStore(db, dialect, clock)
	app := buildApp(t, store, testdb.Quiet, nil, configure...)
	return &env{t: t, app: app, store: store, clock: clock, mfaLogins: map[int64]int{}, url: databaseURL}
}

// buildApp builds the application over store at http://portal.test, with
// metrics when m is not nil and options changed by configure.
func buildApp(t testing.TB, store *models.Store, log *slog.Logger, m *metrics.Metrics, configure ...func(*routes.Options)) *fiber.App {
	t.Helper()
	renderer, err := sharedRenderer()
	if err != nil {
		t.Fatal(err)
	}
	signer, err := routes.NewSigner(context.Background(), store, "http://portal.test")
	if err != nil {
		t.Fatal(err)
	}
	o := routes.Options{Store: store, Views: renderer, Log: log, BaseURL: "http://portal.test", Signer: signer, Metrics: m}
	for _, c := range configure {
		c(&o)
	}
	return routes.New(o)
}

// sharedRenderer parses the templates once for every test application:
// a renderer holds no request state, and parsing every page in every
// language takes a noticeable part of a second.
var sharedRenderer = sync.OnceValues(views.New)

// serve starts the app on a loopback port and returns its base URL.
func (e *env) serve() string {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	go func() { _ = e.app.Listener(ln) }()
	e.t.Cleanup(func() { _ = e.app.Shutdown() })
	return "http://" + ln.Addr().String()
}

// client is a browser: it keeps cookies and knows the CSRF token.
type client struct {
	e       *env
	cookies map[string]string
	bearer  string
	// token is the last CSRF token read from a page, for the cookies in
	// tokenFor.
	token, tokenFor string
	// forwardedFor is sent as X-Forwarded-For when set.
	forwardedFor string
	// sheddable clients expect 503 with Retry-After under load (a sign-in
	// that got no hashing slot in time) and do not count it a failure.
	sheddable bool
}

func (e *env) client() *client { return &client{e: e, cookies: map[string]string{}} }

type response struct {
	Status int
	Header http.Header
	Body   string
}

func (r response) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(r.Body), &m); err != nil {
		t.Fatalf("response is not JSON (%d): %v\n%s", r.Status, err, r.Body)
	}
	return m
}

// errorCode reads {"error":{"code":...}}.
func (r response) errorCode(t *testing.T) string {
	t.Helper()
	e, _ := r.json(t)["error"].(map[string]any)
	code, _ := e["code"].(string)
	return code
}

func (c *client) do(req *http.Request) response {
	c.e.t.Helper()
	var pairs []string
	for k, v := range c.cookies {
		pairs = append(pairs, k+"="+v)
	}
	if len(pairs) > 0 {
		req.Header.Set("Cookie", strings.Join(pairs, "; "))
	}
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.forwardedFor != "" {
		req.Header.Set("X-Forwarded-For", c.forwardedFor)
	}
	res, err := c.e.app.Test(req, -1)
	if err != nil {
		c.e.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	for _, ck := range res.Cookies() {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	shed := c.sheddable && res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") != ""
	if res.StatusCode >= 500 && req.URL.Path != "/readyz" && !shed {
		c.e.t.Errorf("%s %s answered %d:\n%s", req.Method, req.URL, res.StatusCode, body)
	}
	return response{Status: res.StatusCode, Header: res.Header, Body: string(body)}
}

func (c *client) get(path string) response {
	return c.do(httptest.NewRequest(http.MethodGet, path, nil))
}

// csrf returns a CSRF token for the client's current session or visitor
// cookie, reading one from a page when the cookies changed.
func (c *client) csrf() string {
	c.e.t.Helper()
	if c.token != "" && c.tokenFor == c.bindingCookies() {
		return c.token
	}
	saved := c.bearer
	c.bearer = ""
	res := c.get("/")
	c.bearer = saved
	m := metaCSRF.FindStringSubmatch(res.Body)
	if m == nil {
		c.e.t.Fatalf("GET / = %d without a CSRF token", res.Status)
	}
	c.token, c.tokenFor = m[1], c.bindingCookies()
	return c.token
}

// bindingCookies are the cookies a CSRF token is bound to.
func (c *client) bindingCookies() string { return c.cookies["session"] + " " + c.cookies["csrf"] }

// postForm submits a form with the CSRF token.
func (c *client) postForm(path string, form url.Values) response {
	form = cloneValues(form) // callers reuse their forms across clients
	if _, set := form["_csrf"]; !set {
		form.Set("_csrf", c.csrf())
	}
	req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// sendJSON sends a JSON body with the CSRF header.
func (c *client) sendJSON(method, path, body string) response {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if c.bearer == "" {
		req.Header.Set("X-CSRF-Token", c.csrf())
	}
	return c.do(req)
}

// signup creates an account through the form and keeps the session.
func (c *client) signup(name, email, password string) response {
	return c.postForm("/signup", url.Values{"full_name": {name}, "email": {email}, "password": {password}})
}

var metaCSRF = regexp.MustCompile(`<meta name="csrf-token" content="([^"]+)">`)

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("response lacks %q", w)
		}
	}
}

// login signs a fixture user in through the login form.
func (e *env) login(u *models.User) *client {
	e.t.Helper()
	c := e.client()
	res := c.postForm("/login", url.Values{"email": {u.Email}, "password": {testdb.Password}})
	if res.Status != http.StatusSeeOther {
		e.t.Fatalf("login as %s = %d", u.Email, res.Status)
	}
	if res.Header.Get("Location") == "/login/mfa" {
		// Each sign-in of the same person spends the next recovery code.
		e.mfaLogins[u.ID]++
		code := testdb.RecoveryCode(u, e.mfaLogins[u.ID]-1)
		if res = c.postForm("/login/mfa", url.Values{"recovery_code": {code}}); res.Status != http.StatusSeeOther {
			e.t.Fatalf("second factor of %s = %d", u.Email, res.Status)
		}
	}
	return c
}

func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vals := range v {
		out[k] = append([]string(nil), vals...)
	}
	return out
}
