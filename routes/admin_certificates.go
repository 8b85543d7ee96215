package routes

import (
	"net/http"
	"net/url"
	"strconv"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// certificatesPerPage is the length of a page of the certificate list.
const certificatesPerPage = 50

// adminCertificateListData is one page of certificates.
type adminCertificateListData struct {
	adminPage
	Filter       models.CertificateFilter
	Certificates []models.ConsoleCertificate
	Next         int64
}

// NextURL is the address of the following page with the same filter.
func (d adminCertificateListData) NextURL() string {
	q := url.Values{}
	if d.Filter.Query != "" {
		q.Set("q", d.Filter.Query)
	}
	if d.Filter.Status != "" {
		q.Set("status", d.Filter.Status)
	}
	q.Set("before", strconv.FormatInt(d.Next, 10))
	return "/admin/certificates?" + q.Encode()
}

// adminCertificateList lists certificates, newest first: all of them for
// admins, those of their courses for instructors.
func (h *handler) adminCertificateList(c *fiber.Ctx) error {
	f := models.CertificateFilter{Query: formLine(c.Query("q")), Status: c.Query("status"), Limit: certificatesPerPage}
	if q := []rune(f.Query); len(q) > 100 {
		f.Query = string(q[:100])
	}
	if f.Status != "valid" && f.Status != "revoked" {
		f.Status = ""
	}
	before, err := strconv.ParseInt(c.Query("before", "0"), 10, 64)
	if err != nil || before < 0 {
		return errBadRequest("The page cursor must be a certificate number.")
	}
	f.Before = before
	rows, next, err := h.store.CertificatesFor(c.UserContext(), currentUser(c), f)
	if err != nil {
		return err
	}
	d := adminCertificateListData{adminPage: adminPage{Tab: "certificates"}, Filter: f, Certificates: rows, Next: next}
	return h.render(c, http.StatusOK, "admin_certificates", page{Title: h.t(c, "console.nav.certificates"), Data: d})
}
