package routes

import (
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// apiSessionCreate exchanges an email and password for a bearer token, for
// API clients that do not keep cookies. The same throttling applies.
func (h *handler) apiSessionCreate(c *fiber.Ctx) error {
	var body struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
	if err := decodeJSON(c, &body); err != nil {
		return err
	}
	user, status, message, err := h.checkLogin(c, body.Email, body.Password)
	if err != nil {
		return err
	}
	if user == nil {
		code := map[int]string{http.StatusTooManyRequests: "too_many_attempts", http.StatusUnauthorized: "invalid_login",
			http.StatusForbidden: "account_disabled"}[status]
		if code == "" {
			code = "invalid_field"
		}
		return errStatus(status, code, message)
	}
	token, err := h.store.CreateSession(c.UserContext(), user.ID, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(fiber.Map{"token": token, "token_type": "Bearer",
		"expires_in": int(models.SessionMaxAge.Seconds())})
}
