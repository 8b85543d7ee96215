package routes

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// Device cookies (OWASP's defence against targeted lock-out): a browser that
// signed in to an account carries "NONCE.MAC", the MAC an HMAC-SHA256 of the
// account's email and the nonce under a server key kept in the database. Its
// failed sign-ins to that account are counted under the nonce, apart from
// unknown clients', so a stranger cannot lock the owner out of their own
// browser. The cookie names no account: only a sign-in to the account that
// minted it can check it.
const (
	deviceCookie       = "device"
	deviceCookieMaxAge = 365 * 24 * time.Hour
	deviceKeyPurpose   = "device-cookie"
	deviceNonceBytes   = 16
)

// deviceKeys loads the device cookies' key once per process; it never changes.
type deviceKeys struct {
	mu  sync.Mutex
	key []byte
}

func (k *deviceKeys) get(ctx context.Context, store *models.Store) ([]byte, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.key == nil {
		key, err := store.SecretKey(ctx, deviceKeyPurpose)
		if err != nil {
			return nil, err
		}
		k.key = key
	}
	return k.key, nil
}

func deviceMAC(key []byte, email, nonce string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("device\x00" + models.NormalizeEmail(email) + "\x00" + nonce))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// knownDevice returns the device the client's cookie names when the cookie
// was minted for this email, or "" for an unknown client.
func (h *handler) knownDevice(c *fiber.Ctx, email string) (string, error) {
	nonce, mac, ok := strings.Cut(c.Cookies(h.cookieName(deviceCookie)), ".")
	if !ok || len(nonce) != base64.RawURLEncoding.EncodedLen(deviceNonceBytes) || len(mac) != base64.RawURLEncoding.EncodedLen(sha256.Size) {
		return "", nil
	}
	key, err := h.devices.get(c.UserContext(), h.store)
	if err != nil {
		return "", err
	}
	if !hmac.Equal([]byte(mac), []byte(deviceMAC(key, email, nonce))) {
		return "", nil
	}
	return nonce, nil
}

// rememberDevice gives the browser a fresh device cookie for the account it
// just signed in to.
func (h *handler) rememberDevice(c *fiber.Ctx, email string) error {
	key, err := h.devices.get(c.UserContext(), h.store)
	if err != nil {
		return err
	}
	raw := make([]byte, deviceNonceBytes)
	if _, err := rand.Read(raw); err != nil {
		return fmt.Errorf("device cookie: unable to read random bytes: %w", err)
	}
	nonce := base64.RawURLEncoding.EncodeToString(raw)
	h.setCookie(c, deviceCookie, nonce+"."+deviceMAC(key, email, nonce), deviceCookieMaxAge)
	return nil
}
