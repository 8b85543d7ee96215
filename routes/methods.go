package routes

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// routeMethods is one registered path pattern and the methods it answers.
type routeMethods struct {
	segments []string
	methods  []string
}

// methodTable knows, for every path pattern of the application, which
// methods it answers, so that a request with another method gets 405 and an
// Allow header instead of 404 (or a CSRF refusal).
type methodTable []routeMethods

// newMethodTable reads the application's routes. Middleware added with Use
// is registered under every method and is left out: it names no resource.
func newMethodTable(app *fiber.App) methodTable {
	byPath := map[string]map[string]bool{}
	var order []string
	for _, stack := range app.Stack() {
		for _, r := range stack {
			if byPath[r.Path] == nil {
				byPath[r.Path] = map[string]bool{}
				order = append(order, r.Path)
			}
			byPath[r.Path][r.Method] = true
		}
	}
	var table methodTable
	for _, path := range order {
		methods := byPath[path]
		if len(methods) == len(app.Config().RequestMethods) {
			continue
		}
		var list []string
		for m := range methods {
			list = append(list, m)
		}
		slices.Sort(list)
		table = append(table, routeMethods{segments: strings.Split(path, "/"), methods: list})
	}
	return table
}

// allowed lists the methods that the routes matching path answer, sorted
// and without duplicates; nil when no route has this path.
func (t methodTable) allowed(path string) []string {
	if len(path) > 1 {
		path = strings.TrimRight(path, "/")
	}
	segments := strings.Split(path, "/")
	var out []string
	for _, r := range t {
		if matchSegments(r.segments, segments) {
			out = append(out, r.methods...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// matchSegments matches a Fiber path pattern (":param" for one segment, "*"
// for the rest) against a request path, both split at "/".
func matchSegments(pattern, path []string) bool {
	for i, p := range pattern {
		if p == "*" {
			return true
		}
		if i >= len(path) {
			return false
		}
		if strings.HasPrefix(p, ":") {
			if path[i] == "" {
				return false
			}
			continue
		}
		if p != path[i] {
			return false
		}
	}
	return len(pattern) == len(path)
}

// methodNotAllowed answers 405 with Allow when the path exists but not for
// the request's method. It runs before the session and CSRF checks, so a
// wrong method is reported as such whoever asks.
func (h *handler) methodNotAllowed(c *fiber.Ctx) error {
	allowed := h.methods.allowed(c.Path())
	if len(allowed) == 0 || slices.Contains(allowed, c.Method()) {
		return c.Next()
	}
	list := strings.Join(allowed, ", ")
	c.Set(fiber.HeaderAllow, list)
	return errStatus(http.StatusMethodNotAllowed, "method_not_allowed",
		"This address does not accept "+c.Method()+" requests; it accepts "+list+".")
}
