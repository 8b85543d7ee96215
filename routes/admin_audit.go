package routes

import (
	"net/http"
	"strconv"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// auditPerPage is the length of a page of the audit log.
const auditPerPage = 50

// adminAuditData is one page of the audit log.
type adminAuditData struct {
	adminPage
	Entries []models.ConsoleAuditEntry
	// Next is the cursor of the following (older) page, 0 on the last one.
	Next int64
	// First is true on the newest page.
	First bool
}

// adminAuditList lists what staff did, newest first. Pages follow a keyset
// cursor (?before=ID), so they stay stable while new entries arrive.
func (h *handler) adminAuditList(c *fiber.Ctx) error {
	before, err := strconv.ParseInt(c.Query("before", "0"), 10, 64)
	if err != nil || before < 0 {
		return errBadRequest("The page cursor must be an entry number.")
	}
	entries, next, err := h.store.AuditPage(c.UserContext(), before, auditPerPage)
	if err != nil {
		return err
	}
	d := adminAuditData{adminPage: adminPage{Tab: "audit"}, Entries: entries, Next: next, First: before == 0}
	return h.render(c, http.StatusOK, "admin_audit", page{Title: h.t(c, "console.nav.audit"), Data: d})
}
