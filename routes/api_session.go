package routes

import (
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// apiSessionCreate exchanges an email and password for a bearer token, for
// API clients that do not keep cookies. The same throttling applies. A
// person with a second factor gets a token only with it in the same request
// ("code" or "recovery_code"): there is no half-signed-in token.
func (h *handler) apiSessionCreate(c *fiber.Ctx) error {
	var body struct {
		Email        string `json:"email"`
		Password     string `json:"password"`
		Code         string `json:"code"`
		RecoveryCode string `json:"recovery_code"`
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
	if user.HasMFA() {
		if err := h.apiSecondFactor(c, user, body.Code, body.RecoveryCode); err != nil {
			return err
		}
	}
	token, err := h.store.CreateSession(c.UserContext(), user.ID, c.Get(fiber.HeaderUserAgent))
	if err != nil {
		return err
	}
	return c.Status(http.StatusCreated).JSON(fiber.Map{"token": token, "token_type": "Bearer",
		"expires_in": int(models.SessionMaxAge.Seconds())})
}

// apiSecondFactor checks the code an API client sent with the password.
func (h *handler) apiSecondFactor(c *fiber.Ctx, user *models.User, code, recovery string) error {
	if code == "" && recovery == "" {
		return errStatus(http.StatusUnauthorized, "mfa_required",
			"This account uses two-step sign-in: send \"code\" (six digits from the app) or \"recovery_code\" with the password.")
	}
	status, message, err := h.checkSecondFactor(c, user.ID, code, recovery)
	if err != nil || message == "" {
		return err
	}
	errCode := map[int]string{http.StatusTooManyRequests: "too_many_attempts", http.StatusUnauthorized: "invalid_code"}[status]
	return errStatus(status, orDefault(errCode, "invalid_field"), message)
}
