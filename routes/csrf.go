package routes

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"hash"
	"io"
	"net/http"
	"strings"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// CSRF tokens are bound to what the browser holds: the HMAC, under a server
// key shared by every instance, of the session token, or for visitors
// without a session of a random visitor id in the csrf cookie (replaced at
// every sign-in and sign-out). A value planted in a cookie is therefore
// worth nothing without the key. Pages carry the token masked with a fresh
// one-time pad (as Rails and Django do), so no two responses show the same
// bytes next to reflected input, which compression would otherwise leak
// (BREACH).

// CSRFSecretName names the server secret CSRF tokens are derived from.
const CSRFSecretName = "csrf"

const (
	localCSRF = "csrf"
	csrfSize  = sha256.Size
	// visitorIDLength is a 256-bit id in unpadded base64url.
	visitorIDLength = 43
)

// Bindings of a token: a session token, or a visitor id.
const (
	bindSession = "session"
	bindVisitor = "visitor"
)

// csrfMAC is the unmasked token of a binding.
func csrfMAC(key []byte, kind, value string) []byte {
	return writeCSRFMAC(hmac.New(sha256.New, key), kind, value)
}

// csrfMAC is the unmasked token of a binding under the signer's CSRF key,
// from an HMAC kept ready.
func (s *Signer) csrfMAC(kind, value string) []byte {
	mac := s.csrfMACs.Get().(hash.Hash)
	defer s.csrfMACs.Put(mac)
	mac.Reset()
	return writeCSRFMAC(mac, kind, value)
}

func writeCSRFMAC(mac hash.Hash, kind, value string) []byte {
	_, _ = io.WriteString(mac, kind)
	_, _ = mac.Write([]byte{0})
	_, _ = io.WriteString(mac, value)
	return mac.Sum(make([]byte, 0, csrfSize))
}

// SessionCSRFToken is a masked CSRF token for the holder of a session token,
// under the server's CSRF key. The load benchmark, which seeds sessions
// straight into its database, acts as their browsers with it.
func SessionCSRFToken(key []byte, sessionToken string) (string, error) {
	return maskCSRF(csrfMAC(key, bindSession, sessionToken))
}

// VisitorCSRFToken is a masked CSRF token for a visitor without a session
// whose csrf cookie holds visitorID.
func VisitorCSRFToken(key []byte, visitorID string) (string, error) {
	return maskCSRF(csrfMAC(key, bindVisitor, visitorID))
}

// csrf derives the request's token and checks it on every state-changing
// request. Bearer-token requests carry no ambient authority, so they need
// none.
func (h *handler) csrf(c *fiber.Ctx) error {
	expected, err := h.bindCSRF(c, "")
	if err != nil {
		return err
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions:
		return c.Next()
	}
	if bearer, _ := c.Locals(localBearer).(bool); bearer {
		return c.Next()
	}
	// An API request that no live session signs in has no session for a
	// forged request to ride on, and API answers set no cookie: let it on,
	// so that requireUser answers 401. Once the cookie names a live session,
	// the token is required.
	if currentUser(c) == nil && strings.HasPrefix(c.Path(), "/api/") {
		return c.Next()
	}
	if isOneClickUnsubscribe(c) {
		return c.Next()
	}
	sent := c.Get("X-CSRF-Token")
	if sent == "" && isForm(c) {
		sent = c.FormValue("_csrf")
	}
	if !csrfMatches(sent, expected) {
		return errStatus(http.StatusForbidden, "csrf_failed",
			"The form has expired or did not come from this site. Go back, reload the page and try again.")
	}
	return c.Next()
}

// bindCSRF works out the request's token: bound to the session when there
// is one, else to the visitor id (the given one, or the cookie's, created
// when missing).
func (h *handler) bindCSRF(c *fiber.Ctx, visitor string) ([]byte, error) {
	kind, value := bindSession, ""
	if bearer, _ := c.Locals(localBearer).(bool); !bearer {
		value, _ = c.Locals(localToken).(string)
	}
	if value == "" {
		kind, value = bindVisitor, visitor
		if value == "" {
			value = c.Cookies(h.cookieName("csrf"))
		}
		if len(value) != visitorIDLength {
			var err error
			if value, err = models.NewToken(); err != nil {
				return nil, err
			}
			h.setCookie(c, "csrf", value, 0)
		}
	}
	expected := h.signer.csrfMAC(kind, value)
	c.Locals(localCSRF, expected)
	return expected, nil
}

// rotateCSRF replaces the visitor id and binds the token anew, after
// sign-in and sign-out, so a token or id known before is useless after.
func (h *handler) rotateCSRF(c *fiber.Ctx) error {
	visitor, err := models.NewToken()
	if err != nil {
		return err
	}
	h.setCookie(c, "csrf", visitor, 0)
	_, err = h.bindCSRF(c, visitor)
	return err
}

// csrfToken is the request's token masked with a fresh pad, for a page.
func csrfToken(c *fiber.Ctx) string {
	expected, _ := c.Locals(localCSRF).([]byte)
	if len(expected) != csrfSize {
		return ""
	}
	masked, err := maskCSRF(expected)
	if err != nil {
		// Without randomness no token can be given; the form will be refused.
		return ""
	}
	return masked
}

// maskCSRF returns pad ‖ (token XOR pad), base64url.
func maskCSRF(token []byte) (string, error) {
	out := make([]byte, 2*csrfSize)
	if _, err := rand.Read(out[:csrfSize]); err != nil {
		return "", fmt.Errorf("csrf: unable to read random bytes: %w", err)
	}
	subtle.XORBytes(out[csrfSize:], token, out[:csrfSize])
	return base64.RawURLEncoding.EncodeToString(out), nil
}

// csrfMatches unmasks a sent token and compares it in constant time.
func csrfMatches(sent string, expected []byte) bool {
	raw, err := base64.RawURLEncoding.DecodeString(sent)
	if err != nil || len(raw) != 2*csrfSize || len(expected) != csrfSize {
		return false
	}
	token := make([]byte, csrfSize)
	subtle.XORBytes(token, raw[csrfSize:], raw[:csrfSize])
	return hmac.Equal(token, expected)
}
