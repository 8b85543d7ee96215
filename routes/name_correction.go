package routes

import (
	"errors"
	"net/http"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// certificateNameCorrection is the holder's request to correct the name on
// an issued certificate (fields full_name and reason); staff decide it.
func (h *handler) certificateNameCorrection(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	cert, err := h.loadCertificate(c)
	if err != nil {
		return err
	}
	form := nameCorrectionForm{FullName: formLine(c.FormValue("full_name")), Reason: c.FormValue("reason")}
	_, err = h.store.RequestNameCorrection(c.UserContext(), currentUser(c), cert, form.FullName, form.Reason)
	switch {
	case errors.Is(err, models.ErrNotHolder):
		return errStatus(http.StatusForbidden, "forbidden", sentence(err.Error()))
	case err != nil:
		errs, status, err := fieldRefusal(err)
		if err != nil {
			return err
		}
		return h.certificatePage(c, cert, status, &form, errs)
	}
	return h.redirectWithFlash(c, "/certificates/"+cert.Code, "name-correction-sent")
}

// nameCorrectionForm is what the holder typed, shown again with errors.
type nameCorrectionForm struct {
	FullName string
	Reason   string
}
