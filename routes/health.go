package routes

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// healthz answers while the process is up.
func (h *handler) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

// readyz answers 200 only while the database is reachable.
func (h *handler) readyz(c *fiber.Ctx) error {
	if err := h.store.Ping(c.UserContext()); err != nil {
		h.outage.begin(err)
		c.Set(fiber.HeaderRetryAfter, retryAfterHeader)
		return c.Status(http.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable", "database": "unreachable"})
	}
	return c.JSON(fiber.Map{"status": "ok", "database": "ok"})
}
