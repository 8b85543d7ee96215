package routes_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"
	"github.com/gofiber/fiber/v2"
)

// apiSpec is the OpenAPI description the portal publishes, loaded and
// checked, with the statuses each operation was seen answering.
type apiSpec struct {
	t      *testing.T
	doc    *openapi3.T
	router routers.Router
	seen   map[string][]int // "METHOD /path/{param}" → statuses validated
}

// loadAPISpec fetches /api/v1/openapi.json from the portal and checks it is
// a valid OpenAPI 3.1 document.
func loadAPISpec(t *testing.T, e *env) *apiSpec {
	t.Helper()
	res := e.client().get("/api/v1/openapi.json")
	if res.Status != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("openapi.json = %d %q", res.Status, res.Header.Get("Content-Type"))
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData([]byte(res.Body))
	if err != nil {
		t.Fatalf("openapi.json does not load: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") || !doc.IsOpenAPI31OrLater() {
		t.Fatalf("openapi.json is OpenAPI %q, want 3.1", doc.OpenAPI)
	}
	if err := doc.Validate(loader.Context); err != nil {
		t.Fatalf("openapi.json is not a valid OpenAPI document: %v", err)
	}
	router, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	s := &apiSpec{t: t, doc: doc, router: router, seen: map[string][]int{}}
	s.validate(httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil), res)
	return s
}

// call sends a request as the client (with its bearer token, or its cookies
// and, on writes, its CSRF token), holds the answer to the description and
// returns it. A 2xx request is held to the description too. edit changes
// the request before it goes.
func (s *apiSpec) call(c *client, method, path, body string, edit ...func(*http.Request)) response {
	s.t.Helper()
	build := func() *http.Request {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		if c.bearer == "" && c.cookies["session"] != "" && method != http.MethodGet {
			req.Header.Set("X-CSRF-Token", c.csrf())
		}
		for _, f := range edit {
			f(req)
		}
		return req
	}
	res := c.do(build())
	req := build()
	if c.bearer != "" {
		req.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	for name, value := range c.cookies {
		req.AddCookie(&http.Cookie{Name: name, Value: value})
	}
	s.validate(req, res)
	return res
}

// validate holds an answer (and, for a 2xx, its request, whose body must
// not have been read) to the
// description: the operation must be described, the status listed for it,
// and the body must match its schema.
func (s *apiSpec) validate(req *http.Request, res response) {
	s.t.Helper()
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		s.t.Errorf("%s %s is not in the description: %v", req.Method, req.URL.Path, err)
		return
	}
	ctx := context.Background()
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true, AuthenticationFunc: s.authenticated}}
	if res.Status < 300 {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			s.t.Errorf("%s %s (answered %d): the request does not match the description: %v", req.Method, req.URL.Path, res.Status, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.Status, Header: res.Header,
		Options: in.Options}
	out.SetBodyBytes([]byte(res.Body))
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		s.t.Errorf("%s %s answered %d, not as described: %v\n%.600s", req.Method, req.URL.Path, res.Status, err, res.Body)
	}
	key := route.Method + " " + route.Path
	s.seen[key] = append(s.seen[key], res.Status)
}

// authenticated checks that a request carries what the security scheme
// names: the Authorization header, the session cookie, the CSRF header.
func (s *apiSpec) authenticated(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	req := in.RequestValidationInput.Request
	scheme := in.SecurityScheme
	var present bool
	switch {
	case scheme.Type == "http" && scheme.Scheme == "bearer":
		present = strings.HasPrefix(req.Header.Get("Authorization"), "Bearer ")
	case scheme.Type == "apiKey" && scheme.In == "cookie":
		_, err := req.Cookie(scheme.Name)
		present = err == nil
	case scheme.Type == "apiKey" && scheme.In == "header":
		present = req.Header.Get(scheme.Name) != ""
	}
	if !present {
		return fmt.Errorf("no %s", in.SecuritySchemeName)
	}
	return nil
}

// covered checks that every described operation was seen answering with
// success, and every one but the description itself with an error too.
func (s *apiSpec) covered() {
	s.t.Helper()
	for path, item := range s.doc.Paths.Map() {
		for method := range item.Operations() {
			key := method + " " + path
			statuses := s.seen[key]
			ok := slices.ContainsFunc(statuses, func(n int) bool { return n < 300 })
			failed := slices.ContainsFunc(statuses, func(n int) bool { return n >= 400 })
			if !ok || (!failed && path != "/openapi.json") {
				s.t.Errorf("%s: validated only the statuses %v; want a success and an error", key, statuses)
			}
			slices.Sort(statuses)
			s.t.Logf("%-60s %v", key, slices.Compact(statuses))
		}
	}
}

// describesEveryRoute checks that every /api/v1 route the application
// registers is in the description, so a new endpoint cannot go undescribed.
func (s *apiSpec) describesEveryRoute(app *fiber.App) {
	s.t.Helper()
	for _, r := range app.GetRoutes(true) {
		path, isAPI := strings.CutPrefix(r.Path, "/api/v1")
		if !isAPI || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			continue
		}
		path = fiberParam.ReplaceAllString(path, "{$1}")
		item := s.doc.Paths.Value(path)
		if item == nil || item.GetOperation(r.Method) == nil {
			s.t.Errorf("%s %s is served but not described in openapi.json", r.Method, r.Path)
		}
	}
}

// fiberParam is a Fiber path parameter, :name, as OpenAPI's {name}.
var fiberParam = regexp.MustCompile(`:([A-Za-z_]+)`)
