package routes

import (
	"strings"

	"courseportal/views"

	"github.com/gofiber/fiber/v2"
)

// staticFile serves the embedded, fingerprinted static files; their names
// change with their content, so they may be cached for a year. Stylesheets,
// scripts and SVG are sent in the precompressed copy (brotli or gzip, made
// at build time) the browser accepts, each copy with its own ETag.
func (h *handler) staticFile(c *fiber.Ctx) error {
	f, ok := h.views.Assets().Lookup(c.Path())
	if !ok {
		return errNotFound("No such file.")
	}
	coding := "identity"
	var offered []string
	for _, p := range views.Precompressed {
		if _, ok := f.Body(p.Name); ok {
			offered = append(offered, p.Name)
		}
	}
	if len(offered) > 0 {
		c.Vary(fiber.HeaderAcceptEncoding)
		coding = negotiateCoding(c.Get(fiber.HeaderAcceptEncoding), offered)
	}
	body, _ := f.Body(coding)
	etag := `"` + f.Tag + `"`
	if coding != "identity" {
		etag = `"` + f.Tag + "-" + coding + `"`
		c.Set(fiber.HeaderContentEncoding, coding)
	}
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, f.ContentType)
	if etagMatches(c.Get(fiber.HeaderIfNoneMatch), etag) {
		return c.SendStatus(fiber.StatusNotModified)
	}
	return c.Send(body)
}

// staticPath reports whether a request is for a static file, which the
// compression middleware leaves to staticFile.
func staticPath(c *fiber.Ctx) bool { return strings.HasPrefix(c.Path(), "/static/") }

// etagMatches reads If-None-Match: "*" or a list of (possibly weak) tags.
func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
		if t == "*" || t == etag {
			return true
		}
	}
	return false
}
