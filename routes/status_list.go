package routes

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
)

// statusListMaxAge is how long verifiers may cache a status list: a
// revocation reaches them within five minutes.
const statusListMaxAge = "public, max-age=300"

// statusList publishes revocation status list :list as a signed
// BitstringStatusListCredential (VC-JWT), for any verifier to fetch.
func (h *handler) statusList(c *fiber.Ctx) error {
	list, err := pathNumber(c, "list", 32)
	if err != nil || list > 1<<20 {
		return errNotFound("No status list has this number.")
	}
	n := int(list)
	ctx := c.UserContext()
	exists, err := h.store.StatusListExists(ctx, n)
	if err != nil {
		return err
	}
	if !exists {
		return errNotFound("No status list has this number.")
	}
	revoked, err := h.store.RevokedIndexes(ctx, n)
	if err != nil {
		return err
	}
	token, err := h.signer.SignStatusList(n, revoked, h.store.Now())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vc+jwt")
	c.Set(fiber.HeaderCacheControl, statusListMaxAge)
	c.Set("Access-Control-Allow-Origin", "*")
	return c.Status(http.StatusOK).SendString(token)
}
