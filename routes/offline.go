package routes

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// Colours of the installed app, the same as the stylesheet's --c-primary
// (theme) and --c-bg (background) in the light scheme.
const (
	manifestThemeColor      = "#27357e"
	manifestBackgroundColor = "#f6f4ef"
)

type manifestIcon struct {
	Src     string `json:"src"`
	Sizes   string `json:"sizes"`
	Type    string `json:"type"`
	Purpose string `json:"purpose,omitempty"`
}

type webManifest struct {
	Lang            string         `json:"lang"`
	Dir             string         `json:"dir"`
	Name            string         `json:"name"`
	ShortName       string         `json:"short_name"`
	Description     string         `json:"description"`
	ID              string         `json:"id"`
	StartURL        string         `json:"start_url"`
	Scope           string         `json:"scope"`
	Display         string         `json:"display"`
	ThemeColor      string         `json:"theme_color"`
	BackgroundColor string         `json:"background_color"`
	Icons           []manifestIcon `json:"icons"`
}

// manifest is the web app manifest that makes the portal installable, in
// the language of the page that links it (?lang=). Its id stays the same in
// every language: one installed app, whose name follows the language.
func (h *handler) manifest(c *fiber.Ctx) error {
	loc := h.sharedLanguage(c)
	m := webManifest{Lang: loc.Code(), Dir: loc.Dir(), Name: loc.T("manifest.name"),
		ShortName: loc.T("manifest.short_name"), Description: loc.T("manifest.summary"),
		ID: "/dashboard", StartURL: "/dashboard", Scope: "/", Display: "standalone",
		ThemeColor: manifestThemeColor, BackgroundColor: manifestBackgroundColor}
	for _, icon := range []manifestIcon{
		{Src: "icons/icon.svg", Sizes: "any", Type: "image/svg+xml"},
		{Src: "icons/icon-192.png", Sizes: "192x192", Type: "image/png"},
		{Src: "icons/icon-512.png", Sizes: "512x512", Type: "image/png"},
	} {
		url, err := h.views.Assets().URL(icon.Src)
		if err != nil {
			return err
		}
		icon.Src = url
		m.Icons = append(m.Icons, icon)
	}
	c.Set(fiber.HeaderCacheControl, "no-cache")
	if err := c.JSON(m); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/manifest+json")
	return nil
}

// serviceWorker serves the service worker from the root, so its scope is the
// whole site. no-cache makes browsers check for a new version on every visit.
func (h *handler) serviceWorker(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-cache")
	c.Set(fiber.HeaderContentType, "text/javascript; charset=utf-8")
	return c.Send(h.views.ServiceWorker())
}

// offlinePage is what the service worker shows for a page that is not saved
// on the device when there is no network. It is the same for everyone who
// reads it in a language (it is served without a session), so the worker
// keeps one copy per language (/offline?lang=fa-AF).
func (h *handler) offlinePage(c *fiber.Ctx) error {
	h.sharedLanguage(c)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return h.render(c, http.StatusOK, "offline", page{Title: h.t(c, "offline.title"), Narrow: true})
}

// offlineKey names a person's saved readings on a device (the cache
// courseportal-saved-KEY). It is not a secret: it only keeps two people's
// saved pages apart on a shared phone.
func offlineKey(u *models.User) string {
	if u == nil {
		return ""
	}
	sum := sha256.Sum256([]byte("courseportal offline " + strconv.FormatInt(u.ID, 10)))
	return hex.EncodeToString(sum[:8])
}

// writeIDChars are those of the ids devices give their queued writes.
const writeIDChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"

// offlineSession names a sign-in on the device: writes queued offline carry
// it (X-Offline-Session) and are refused under any other sign-in. A hash of
// the session token, which it does not reveal; "" without a session.
func offlineSession(token string) string {
	if token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte("courseportal offline session " + token))
	return hex.EncodeToString(sum[:12])
}

// queuedUnderThisSession guards a write replayed from a device's queue. One
// queued under another sign-in than the request's is refused (409
// session_ended): a write of a person whose session ended is never applied
// to whoever is signed in now. One the device already had applied, by its
// X-Offline-Write id (sent again because the answer was lost on the way),
// is answered 409 already_applied and not applied twice. Writes without the
// headers pass.
func (h *handler) queuedUnderThisSession(c *fiber.Ctx) error {
	queuedFor := c.Get("X-Offline-Session")
	if queuedFor == "" {
		return c.Next()
	}
	token, _ := c.Locals(localToken).(string)
	if token == "" || subtle.ConstantTimeCompare([]byte(queuedFor), []byte(offlineSession(token))) != 1 {
		return errStatus(http.StatusConflict, "session_ended",
			"This update was kept on a device under a sign-in that has ended, so it was not applied.")
	}
	writeID := c.Get("X-Offline-Write")
	if writeID == "" {
		return c.Next()
	}
	if len(writeID) > models.MaxWriteIDBytes || strings.Trim(writeID, writeIDChars) != "" {
		return errBadRequest("X-Offline-Write takes at most 64 letters, digits and dashes.")
	}
	user := currentUser(c)
	done, err := h.store.WriteReplayed(c.UserContext(), user.ID, writeID)
	if err != nil {
		return err
	}
	if done {
		return models.ErrAlreadyApplied
	}
	// The store records the id in the transaction that applies the write,
	// so two copies sent at once, or one sent again after a crash, apply once.
	ctx := models.WithReplayedWrite(c.UserContext(), user.ID, writeID)
	c.SetUserContext(ctx)
	if err := c.Next(); err != nil {
		return err
	}
	if c.Response().StatusCode() < http.StatusBadRequest && !models.ReplayNoted(ctx) {
		// Accepted with nothing to write (completed already): note the id
		// all the same. Failing to note it must not turn the answer into an
		// error, which the device would send again.
		if err := h.store.NoteWriteReplayed(ctx, user.ID, writeID); err != nil {
			h.log.Error("offline write accepted but not noted", "error", err)
		}
	}
	return nil
}
