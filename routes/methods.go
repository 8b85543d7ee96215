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
	var out []string
	for _, r := range t {
		if matchPath(r.segments, routePath(path)) {
			out = append(out, r.methods...)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// refuses reports whether routes match path but none answers method, without
// allocating: every request asks.
func (t methodTable) refuses(path, method string) bool {
	matched := false
	for _, r := range t {
		if matchPath(r.segments, routePath(path)) {
			if slices.Contains(r.methods, method) {
				return false
			}
			matched = true
		}
	}
	return matched
}

// routePath is a request path as routes match it: without trailing slashes.
func routePath(path string) string {
	if len(path) > 1 {
		return strings.TrimRight(path, "/")
	}
	return path
}

// matchPath matches a Fiber path pattern split at "/" (":param" for one
// segment, "*" for the rest) against a request path.
func matchPath(pattern []string, path string) bool {
	rest, last := path, false
	for _, p := range pattern {
		if p == "*" {
			return true
		}
		if last {
			return false
		}
		var segment string
		segment, rest, last = strings.Cut(rest, "/")
		last = !last
		if strings.HasPrefix(p, ":") {
			if segment == "" {
				return false
			}
			continue
		}
		if p != segment {
			return false
		}
	}
	return last
}

// methodNotAllowed answers 405 with Allow when the path exists but not for
// the request's method. It runs before the session and CSRF checks, so a
// wrong method is reported as such whoever asks.
func (h *handler) methodNotAllowed(c *fiber.Ctx) error {
	if !h.methods.refuses(c.Path(), c.Method()) {
		return c.Next()
	}
	allowed := h.methods.allowed(c.Path())
	list := strings.Join(allowed, ", ")
	c.Set(fiber.HeaderAllow, list)
	return errStatus(http.StatusMethodNotAllowed, "method_not_allowed",
		"This address does not accept "+c.Method()+" requests; it accepts "+list+".")
}
