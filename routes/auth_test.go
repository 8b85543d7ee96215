package routes_test

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"courseportal/models"
)

func TestSignupLoginLogout(t *testing.T) {
	e := newEnv(t)
	c := e.client()

	res := c.signup("Amina Rahimi", "  Amina@Example.org ", "s3cret-passphrase")
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/dashboard" {
		t.Fatalf("signup = %d %s, want 303 to /dashboard\n%s", res.Status, res.Header.Get("Location"), res.Body)
	}
	if res := c.get("/dashboard"); res.Status != http.StatusOK || !strings.Contains(res.Body, "Amina Rahimi") {
		t.Fatalf("dashboard after signup = %d", res.Status)
	}
	u, err := e.store.UserByEmail(t.Context(), "amina@example.org")
	if err != nil || u.Email != "amina@example.org" || !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("stored user = %+v, %v", u, err)
	}

	if res := c.postForm("/logout", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("logout = %d", res.Status)
	}
	if res := c.get("/dashboard"); res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
		t.Fatalf("dashboard after logout = %d %s, want a redirect to log in", res.Status, res.Header.Get("Location"))
	}

	res = c.postForm("/login", url.Values{"email": {"AMINA@example.org"}, "password": {"s3cret-passphrase"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("login = %d\n%s", res.Status, res.Body)
	}
	if res := c.get("/dashboard"); res.Status != http.StatusOK {
		t.Fatalf("dashboard after login = %d", res.Status)
	}
}

func TestLogoutEndsTheSessionOnTheServer(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.signup("Kept Cookie", "kept@example.org", "s3cret-passphrase")
	stolen := c.cookies["session"]
	if res := c.postForm("/logout", nil); res.Status != http.StatusSeeOther {
		t.Fatalf("logout = %d", res.Status)
	}

	thief := e.client()
	thief.cookies["session"] = stolen
	if res := thief.get("/dashboard"); res.Status != http.StatusSeeOther {
		t.Fatalf("old session cookie still works after logout: %d", res.Status)
	}
}

func TestNewSessionIDAtLogin(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.signup("Rotating", "rotate@example.org", "s3cret-passphrase")
	first := c.cookies["session"]
	if res := c.postForm("/login", url.Values{"email": {"rotate@example.org"}, "password": {"s3cret-passphrase"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("login = %d", res.Status)
	}
	if second := c.cookies["session"]; second == "" || second == first {
		t.Fatalf("session id not renewed at login")
	}
	old := e.client()
	old.cookies["session"] = first
	if res := old.get("/dashboard"); res.Status != http.StatusSeeOther {
		t.Fatalf("the pre-login session still works: %d", res.Status)
	}
}

func TestWrongPassword(t *testing.T) {
	e := newEnv(t)
	e.client().signup("Someone", "someone@example.org", "s3cret-passphrase")
	c := e.client()
	res := c.postForm("/login", url.Values{"email": {"someone@example.org"}, "password": {"wrong-password"}})
	if res.Status != http.StatusUnauthorized || !strings.Contains(res.Body, "Email or password is incorrect") {
		t.Fatalf("wrong password = %d", res.Status)
	}
	res = c.postForm("/login", url.Values{"email": {"nobody@example.org"}, "password": {"wrong-password"}})
	if res.Status != http.StatusUnauthorized {
		t.Fatalf("unknown email = %d", res.Status)
	}
}

func TestLoginThrottling(t *testing.T) {
	e := newEnv(t)
	e.client().signup("Target", "target@example.org", "s3cret-passphrase")
	c := e.client()
	for i := range models.LoginFailureLimit {
		res := c.postForm("/login", url.Values{"email": {"target@example.org"}, "password": {"guess-" + string(rune('a'+i))}})
		if res.Status != http.StatusUnauthorized {
			t.Fatalf("attempt %d = %d, want 401", i+1, res.Status)
		}
	}
	res := c.postForm("/login", url.Values{"email": {"Target@example.org"}, "password": {"s3cret-passphrase"}})
	if res.Status != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("after 10 failures the right password = %d (Retry-After %q), want 429", res.Status, res.Header.Get("Retry-After"))
	}
	api := e.client().sendJSON(http.MethodPost, "/api/v1/sessions", `{"email":"target@example.org","password":"s3cret-passphrase"}`)
	if api.Status != http.StatusTooManyRequests {
		t.Fatalf("API login while throttled = %d", api.Status)
	}
	e.clock.Advance(models.LoginFailureWindow + time.Second)
	res = c.postForm("/login", url.Values{"email": {"target@example.org"}, "password": {"s3cret-passphrase"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("after the window = %d, want 303", res.Status)
	}
}

func TestCSRF(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.csrf()
	cases := map[string]url.Values{
		"missing": {"full_name": {"X"}, "email": {"x@example.org"}, "password": {"s3cret-passphrase"}, "_csrf": {""}},
		"wrong":   {"full_name": {"X"}, "email": {"x@example.org"}, "password": {"s3cret-passphrase"}, "_csrf": {"forged-token-forged-token-forged-token-1234"}},
	}
	for name, form := range cases {
		t.Run(name, func(t *testing.T) {
			if res := c.postForm("/signup", form); res.Status != http.StatusForbidden {
				t.Fatalf("signup with %s token = %d, want 403", name, res.Status)
			}
		})
	}
	if _, err := e.store.UserByEmail(t.Context(), "x@example.org"); err == nil {
		t.Fatal("an account was created without a valid CSRF token")
	}
	// JSON writes need the header.
	c.signup("Y", "y@example.org", "s3cret-passphrase")
	req := c.sendJSON(http.MethodPost, "/api/v1/courses/international-relations/enrollments", "{}")
	if req.Status != http.StatusCreated {
		t.Fatalf("enroll with CSRF header = %d\n%s", req.Status, req.Body)
	}
	bare := jsonWithoutCSRF(c, http.MethodPost, "/api/v1/courses/international-relations/enrollments")
	if bare.Status != http.StatusForbidden || bare.errorCode(t) != "csrf_failed" {
		t.Fatalf("JSON write without CSRF header = %d", bare.Status)
	}
	// Every page carries the token in a meta tag, equal to the form field.
	page := c.get("/")
	m := metaCSRF.FindStringSubmatch(page.Body)
	if m == nil || !strings.Contains(page.Body, `name="_csrf" value="`+m[1]+`"`) {
		t.Fatal("page lacks a matching csrf meta tag and _csrf field")
	}
}

func TestDuplicateEmailInAnotherCase(t *testing.T) {
	e := newEnv(t)
	e.client().signup("First", "dup@example.org", "s3cret-passphrase")
	res := e.client().signup("Second", "DUP@Example.ORG", "another-passphrase")
	if res.Status != http.StatusConflict || !strings.Contains(res.Body, "already exists") {
		t.Fatalf("duplicate email = %d", res.Status)
	}
}

func TestMalformedInput(t *testing.T) {
	e := newEnv(t)
	long := strings.Repeat("a", 300)
	cases := []struct {
		name string
		form url.Values
	}{
		{"empty", url.Values{}},
		{"empty name", url.Values{"full_name": {""}, "email": {"a@example.org"}, "password": {"s3cret-passphrase"}}},
		{"bad email", url.Values{"full_name": {"A"}, "email": {"not-an-email"}, "password": {"s3cret-passphrase"}}},
		{"short password", url.Values{"full_name": {"A"}, "email": {"a@example.org"}, "password": {"short"}}},
		{"long password", url.Values{"full_name": {"A"}, "email": {"a@example.org"}, "password": {long}}},
		{"long name", url.Values{"full_name": {long}, "email": {"a@example.org"}, "password": {"s3cret-passphrase"}}},
		{"long email", url.Values{"full_name": {"A"}, "email": {long + "@example.org"}, "password": {"s3cret-passphrase"}}},
		{"invalid utf-8", url.Values{"full_name": {"bad \xff\xfe name"}, "email": {"a@example.org"}, "password": {"s3cret-passphrase"}}},
		{"nul byte", url.Values{"full_name": {"nul\x00name"}, "email": {"a@example.org"}, "password": {"s3cret-passphrase"}}},
		{"nul in email", url.Values{"full_name": {"A"}, "email": {"a\x00@example.org"}, "password": {"s3cret-passphrase"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/signup", "/join/international-relations"} {
				res := e.client().postForm(path, tc.form)
				if res.Status < 400 || res.Status > 499 {
					t.Fatalf("%s = %d, want 4xx", path, res.Status)
				}
			}
			if res := e.client().postForm("/login", tc.form); res.Status < 400 || res.Status > 499 {
				t.Fatalf("login = %d, want 4xx", res.Status)
			}
		})
	}
	var n int64
	if err := e.store.DB().Model(&models.User{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d accounts were created from malformed input", n)
	}

	c := e.client()
	t.Run("wrong content type", func(t *testing.T) {
		res := c.sendJSON(http.MethodPost, "/signup", `{"full_name":"A","email":"a@example.org","password":"s3cret-passphrase"}`)
		if res.Status != http.StatusUnsupportedMediaType {
			t.Fatalf("JSON to a form route = %d, want 415", res.Status)
		}
	})
	t.Run("5 MB body", func(t *testing.T) {
		// fasthttp enforces the limit on the announced length while reading
		// from the socket, so this goes through a real listener; the body
		// need not be sent for the server to answer.
		conn, err := net.Dial("tcp", strings.TrimPrefix(e.serve(), "http://"))
		if err != nil {
			t.Fatal(err)
		}
		defer func() {
			if err := conn.Close(); err != nil {
				t.Error(err)
			}
		}()
		if _, err := fmt.Fprintf(conn, "POST /signup HTTP/1.1\r\nHost: portal.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\nfull_name=", 5<<20); err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusRequestEntityTooLarge {
			t.Fatalf("5 MB body = %d, want 413", res.StatusCode)
		}
	})
	t.Run("NUL and invalid UTF-8 in URLs and JSON", func(t *testing.T) {
		for _, path := range []string{"/courses/a%00b", "/courses/%ff%fe", "/certificates/%00", "/join/x%00",
			"/api/v1/courses/a%00", "/verify?code=%00", "/login?next=%00"} {
			if res := c.get(path); res.Status < 400 || res.Status > 499 {
				t.Errorf("GET %s = %d, want 4xx", path, res.Status)
			}
		}
		c.signup("Nul Tester", "nul@example.org", "s3cret-passphrase")
		res := c.sendJSON(http.MethodPut, "/api/v1/me/readings/afghanistan-peace-summits/progress",
			`{"course":"a\u0000b","percent":5}`)
		if res.Status < 400 || res.Status > 499 {
			t.Errorf("NUL in JSON = %d, want 4xx", res.Status)
		}
	})
	t.Run("bad bearer header", func(t *testing.T) {
		c2 := e.client()
		c2.bearer = "not-a-real-token"
		if res := c2.get("/api/v1/me/enrollments"); res.Status != http.StatusUnauthorized {
			t.Fatalf("unknown bearer = %d, want 401", res.Status)
		}
	})
}

func TestBearerTokenAPI(t *testing.T) {
	e := newEnv(t)
	e.client().signup("Api User", "api@example.org", "s3cret-passphrase")
	c := e.client()
	res := c.sendJSON(http.MethodPost, "/api/v1/sessions", `{"email":"api@example.org","password":"s3cret-passphrase"}`)
	if res.Status != http.StatusCreated {
		t.Fatalf("token = %d %s", res.Status, res.Body)
	}
	api := e.client()
	api.bearer, _ = res.json(t)["token"].(string)
	enroll := api.sendJSON(http.MethodPost, "/api/v1/courses/international-relations/enrollments", "")
	if enroll.Status != http.StatusCreated {
		t.Fatalf("bearer enroll = %d %s", enroll.Status, enroll.Body)
	}
	if res := api.get("/api/v1/me/enrollments"); res.Status != http.StatusOK || !strings.Contains(res.Body, `"international-relations"`) {
		t.Fatalf("my enrollments = %d %s", res.Status, res.Body)
	}
}

func jsonWithoutCSRF(c *client, method, path string) response {
	saved := c.bearer
	defer func() { c.bearer = saved }()
	req := newJSONRequest(method, path, "{}")
	return c.do(req)
}

func TestNoOpenRedirectAfterLogin(t *testing.T) {
	e := newEnv(t)
	e.client().signup("Redirected", "redirected@example.org", "s3cret-passphrase")
	c := e.client()
	for _, next := range []string{"/\t/evil.example", "/\n/evil.example", "//evil.example", "/\\evil.example",
		"https://evil.example/", "/%09/evil.example"} {
		res := c.postForm("/login", url.Values{"email": {"redirected@example.org"}, "password": {"s3cret-passphrase"}, "next": {next}})
		if loc := res.Header.Get("Location"); loc != "/dashboard" && loc != "/%09/evil.example" {
			t.Errorf("login with next=%q redirects to %q", next, loc)
		}
		// Signed in, the login page redirects at once: same rule.
		if loc := c.get("/login?next=" + url.QueryEscape(next)).Header.Get("Location"); loc != "/dashboard" && loc != "/%09/evil.example" {
			t.Errorf("GET /login?next=%q redirects to %q", next, loc)
		}
	}
}

func TestParallelGuessesDoNotBeatTheThrottle(t *testing.T) {
	e := newEnv(t)
	e.client().signup("Guarded", "guarded@example.org", "s3cret-passphrase")
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for i := range 25 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// On a slow machine (the race detector) some wait longer than a
			// hashing slot is held for them: 503 is a fair answer too.
			c := e.client()
			c.sheddable = true
			res := c.postForm("/login", url.Values{"email": {"guarded@example.org"}, "password": {"guess-" + string(rune('a'+i))}})
			mu.Lock()
			statuses[res.Status]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	if statuses[http.StatusUnauthorized] > models.LoginFailureLimit {
		t.Fatalf("%d passwords were checked in parallel, the limit is %d (statuses %v)",
			statuses[http.StatusUnauthorized], models.LoginFailureLimit, statuses)
	}
	if statuses[http.StatusUnauthorized]+statuses[http.StatusTooManyRequests]+statuses[http.StatusServiceUnavailable] != 25 {
		t.Fatalf("statuses = %v", statuses)
	}
	res := e.client().postForm("/login", url.Values{"email": {"guarded@example.org"}, "password": {"s3cret-passphrase"}})
	if statuses[http.StatusUnauthorized] == models.LoginFailureLimit && res.Status != http.StatusTooManyRequests {
		t.Fatalf("after %d failures the right password = %d, want 429", models.LoginFailureLimit, res.Status)
	}
}
