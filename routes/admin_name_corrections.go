package routes

import (
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// adminNameCorrectionsData lists the requests waiting for a decision.
type adminNameCorrectionsData struct {
	adminPage
	Requests []models.NameCorrectionRow
}

// adminNameCorrectionList shows the open name corrections a person may
// decide: all for admins, those of their courses for instructors.
func (h *handler) adminNameCorrectionList(c *fiber.Ctx) error {
	rows, err := h.store.PendingNameCorrections(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	return h.render(c, http.StatusOK, "admin_name_corrections", page{Title: h.t(c, "console.nav.names"),
		Data: adminNameCorrectionsData{adminPage: adminPage{Tab: "names"}, Requests: rows}})
}

// adminNameCorrectionDecide approves (reissuing the certificate) or refuses
// a request (field decision: approve or refuse).
func (h *handler) adminNameCorrectionDecide(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	decision := c.FormValue("decision")
	if decision != "approve" && decision != "refuse" {
		return errStatus(http.StatusUnprocessableEntity, "invalid_field", "Choose to approve or to refuse the correction.")
	}
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	cert, err := h.store.DecideNameCorrection(c.UserContext(), currentUser(c), id, decision == "approve")
	if err != nil {
		return consoleNotFound(err, "No name correction has this number, or it is not for a course you manage.")
	}
	if decision == "approve" {
		return h.redirectWithFlash(c, "/certificates/"+cert.Code, "name-corrected")
	}
	return h.redirectWithFlash(c, "/admin/name-corrections", "name-refused")
}
