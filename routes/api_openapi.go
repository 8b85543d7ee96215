package routes

import (
	_ "embed"

	"github.com/gofiber/fiber/v2"
)

// openAPIDocument describes /api/v1 in OpenAPI 3.1. It is written by hand;
// a test holds every endpoint's real answers to it.
//
//go:embed openapi.json
var openAPIDocument []byte

// apiOpenAPI is GET /api/v1/openapi.json.
func (h *handler) apiOpenAPI(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(openAPIDocument)
}
