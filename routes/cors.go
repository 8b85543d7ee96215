package routes

import (
	"github.com/gofiber/fiber/v2"
)

// shareWithAnyOrigin lets scripts on any site read a public, read-only
// resource: the keys, the issuer profile, credentials, certificate JSON and
// status lists, which verifiers running in a browser elsewhere fetch. It
// answers the CORS preflight itself. No credentials are allowed, and these
// routes sit before the session middleware, so a cross-site request can
// never read anything that depends on who is signed in.
func shareWithAnyOrigin(c *fiber.Ctx) error {
	c.Set(fiber.HeaderAccessControlAllowOrigin, "*")
	if c.Method() != fiber.MethodOptions {
		return c.Next()
	}
	c.Set(fiber.HeaderAccessControlAllowMethods, "GET, HEAD")
	c.Set(fiber.HeaderAccessControlAllowHeaders, "Accept, Accept-Language, Content-Language, If-None-Match, If-Modified-Since")
	c.Set(fiber.HeaderAccessControlMaxAge, "86400")
	c.Set(fiber.HeaderAllow, "GET, HEAD, OPTIONS")
	return c.SendStatus(fiber.StatusNoContent)
}
