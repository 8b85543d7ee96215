package routes

import (
	"github.com/gofiber/fiber/v2"
)

// staticFile serves the embedded, fingerprinted static files; their names
// change with their content, so they may be cached for a year.
func (h *handler) staticFile(c *fiber.Ctx) error {
	body, ctype, ok := h.views.Assets().Lookup(c.Path())
	if !ok {
		return errNotFound("No such file.")
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set(fiber.HeaderContentType, ctype)
	return c.Send(body)
}
