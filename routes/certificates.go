package routes

import (
	"errors"
	"net/http"
	"time"

	"courseportal/models"
	"courseportal/models/certcode"
	"courseportal/views/certpdf"

	"github.com/gofiber/fiber/v2"
)

// certificateData is the public verification page.
type certificateData struct {
	Cert      *models.Certificate
	Code      string
	VerifyURL string
	CanRevoke bool
	IsOwner   bool
	// Correction is the holder's request waiting for staff, if any; Form and
	// Errors re-show a refused request form.
	Correction *models.NameCorrection
	Form       *nameCorrectionForm
	Errors     fieldErrors
}

// loadCertificate finds a certificate by code; unknown codes are a 404 that
// says so plainly.
func (h *handler) loadCertificate(c *fiber.Ctx) (*models.Certificate, error) {
	cert, err := h.store.CertificateByCode(c.UserContext(), c.Params("code"))
	if errors.Is(err, models.ErrNotFound) {
		return nil, errStatus(http.StatusNotFound, "certificate_unknown",
			"No certificate has this code. Check the code for typing mistakes: it has 15 letters and digits, like 7KQ2M-9XDT4-RAB3C.")
	}
	return cert, err
}

// certificateShow is the public page that confirms a certificate.
func (h *handler) certificateShow(c *fiber.Ctx) error {
	cert, err := h.loadCertificate(c)
	if err != nil {
		if he, ok := err.(*httpError); ok && he.Code == "certificate_unknown" && !wantsJSON(c) {
			return h.render(c, http.StatusNotFound, "certificate", page{Title: h.t(c, "title.unknown_certificate"),
				Data: certificateData{Code: c.Params("code")}})
		}
		return err
	}
	return h.certificatePage(c, cert, http.StatusOK, nil, nil)
}

// certificatePage renders a certificate's public page; its holder also sees
// the name correction form, or their request waiting for staff.
func (h *handler) certificatePage(c *fiber.Ctx, cert *models.Certificate, status int, form *nameCorrectionForm, errs fieldErrors) error {
	d := certificateData{Cert: cert, Code: cert.Code, VerifyURL: h.verifyURL(cert.Code), Form: form, Errors: errs}
	if u := currentUser(c); u != nil {
		var err error
		d.IsOwner = u.ID == cert.UserID
		if d.CanRevoke, err = h.store.CanManageCourse(c.UserContext(), u, cert.CourseID); err != nil {
			return err
		}
		if d.IsOwner {
			if d.Correction, err = h.store.PendingNameCorrection(c.UserContext(), cert.ID); err != nil {
				return err
			}
		}
	}
	return h.render(c, status, "certificate", page{Title: h.t(c, "title.certificate", "Code", cert.Code), Data: d})
}

func (h *handler) verifyURL(code string) string { return h.baseURL + "/certificates/" + code }

// verifyData is the "verify a certificate" form: the code as typed.
type verifyData struct {
	Code   string
	Errors fieldErrors
}

// verifyShow lets anyone type a code.
func (h *handler) verifyShow(c *fiber.Ctx) error {
	raw := c.Query("code")
	if raw != "" {
		if code, ok := certcode.Normalize(raw); ok {
			return c.Redirect("/certificates/"+code, fiber.StatusSeeOther)
		}
	}
	data := verifyData{Code: raw}
	status := http.StatusOK
	if raw != "" {
		status = http.StatusUnprocessableEntity
		data.Errors = fieldErrors{}.with("code", "That is not a certificate code. Codes have 15 letters and digits, like 7KQ2M-9XDT4-RAB3C.")
	}
	return h.render(c, status, "verify", page{Title: h.t(c, "nav.verify"), Narrow: true, Data: data})
}

// certificateJSON is a certificate as the API shows it: only what the
// certificate states.
type certificateJSON struct {
	Code           string     `json:"code"`
	Status         string     `json:"status"`
	RecipientName  string     `json:"recipient_name"`
	CourseTitle    string     `json:"course_title"`
	CourseSubtitle string     `json:"course_subtitle"`
	Cohort         string     `json:"cohort"`
	Issuer         string     `json:"issuer"`
	Criteria       string     `json:"criteria,omitempty"`
	CompletedAt    time.Time  `json:"completed_at"`
	IssuedAt       time.Time  `json:"issued_at"`
	RevokedAt      *time.Time `json:"revoked_at,omitempty"`
	RevokedReason  string     `json:"revoked_reason,omitempty"`
	VerifyURL      string     `json:"verify_url"`
	PDFURL         string     `json:"pdf_url"`
	CredentialURL  string     `json:"credential_url"`
}

// apiCertificate is GET /api/v1/certificates/:code.
func (h *handler) apiCertificate(c *fiber.Ctx) error {
	cert, err := h.loadCertificate(c)
	if err != nil {
		return err
	}
	out := certificateJSON{Code: cert.Code, Status: "valid", RecipientName: cert.RecipientName,
		CourseTitle: cert.CourseTitle, CourseSubtitle: cert.CourseSubtitle, Cohort: cert.CohortName,
		Issuer: cert.IssuerName, Criteria: cert.Criteria, CompletedAt: cert.CompletedAt, IssuedAt: cert.IssuedAt,
		VerifyURL: h.verifyURL(cert.Code), PDFURL: h.verifyURL(cert.Code) + "/pdf",
		CredentialURL: h.verifyURL(cert.Code) + "/credential"}
	if cert.Revoked() {
		out.Status, out.RevokedAt, out.RevokedReason = "revoked", cert.RevokedAt, cert.RevokedReason
	}
	return c.JSON(out)
}

// certificatePDF renders the printable certificate; a revoked one says so
// across the page.
func (h *handler) certificatePDF(c *fiber.Ctx) error {
	cert, err := h.loadCertificate(c)
	if err != nil {
		return err
	}
	if cert.WithdrawnByHolder() {
		return errStatus(http.StatusGone, "certificate_withdrawn", "This certificate was "+models.WithdrawnByHolder+".")
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `inline; filename="certificate-`+cert.Code+`.pdf"`)
	c.Set(fiber.HeaderCacheControl, "no-cache")
	return certpdf.Render(c.Response().BodyWriter(), certpdf.Certificate{
		RecipientName: cert.RecipientName, CourseTitle: cert.CourseTitle, CourseSubtitle: cert.CourseSubtitle,
		CohortName: cert.CohortName, CompletedOn: cert.CompletedAt, IssuerName: cert.IssuerName,
		Code: cert.Code, VerifyURL: h.verifyURL(cert.Code), Revoked: cert.Revoked(), Criteria: cert.Criteria,
		Wording: pdfWording(h.localizer(c)),
	})
}

// certificateCredential is the signed Open Badges 3.0 credential (VC-JWT).
func (h *handler) certificateCredential(c *fiber.Ctx) error {
	cert, err := h.loadCertificate(c)
	if err != nil {
		return err
	}
	if cert.Revoked() {
		return errStatus(http.StatusGone, "certificate_revoked",
			"This certificate was revoked on "+cert.RevokedAt.Format("2 January 2006")+": "+cert.RevokedReason)
	}
	if err := h.store.EnsureCredentialStatus(c.UserContext(), cert); err != nil {
		return err
	}
	course, err := h.store.CourseByID(c.UserContext(), cert.CourseID)
	if err != nil {
		return err
	}
	token, err := h.signer.Sign(cert, course.Slug)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/vc+jwt")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="certificate-`+cert.Code+`.jwt"`)
	return c.SendString(token)
}

// jwks publishes the key that verifies credentials.
func (h *handler) jwks(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(h.signer.JWKS())
}

// issuerKey publishes the signing key as a JWK at the URL every signed
// token names as its kid (/issuer/keys/THUMBPRINT).
func (h *handler) issuerKey(c *fiber.Ctx) error {
	if h.baseURL+c.Path() != h.signer.KeyURL() {
		return errNotFound("No such key.")
	}
	c.Set(fiber.HeaderContentType, "application/jwk+json")
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.Send(h.signer.JWK())
}

// issuerProfile is the Open Badges issuer profile the credentials point to.
// It holds only terms the VC 2.0 and OB 3.0 contexts define, with the same
// id and url as the credentials' issuer; verifiers find the key through the
// tokens' kid, a URL of the JWK (issuerKey).
func (h *handler) issuerProfile(c *fiber.Ctx) error {
	courses, err := h.store.ListCourses(c.UserContext())
	if err != nil {
		return err
	}
	name := "courseportal"
	if len(courses) > 0 && courses[0].Provider != "" {
		name = courses[0].Provider
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.JSON(fiber.Map{
		"@context": []string{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"id":       h.baseURL + "/issuer", "type": []string{"Profile"}, "name": name, "url": h.baseURL,
	})
}

// certificateRevoke lets an admin, or an instructor of the course, revoke.
func (h *handler) certificateRevoke(c *fiber.Ctx) error {
	cert, err := h.loadCertificate(c)
	if err != nil {
		return err
	}
	user := currentUser(c)
	allowed, err := h.store.CanManageCourse(c.UserContext(), user, cert.CourseID)
	if err != nil {
		return err
	}
	if !allowed {
		return errStatus(http.StatusForbidden, "forbidden", "Only administrators and the course's instructors can revoke its certificates.")
	}
	if _, err := h.store.RevokeCertificate(c.UserContext(), cert.Code, user.ID, c.FormValue("reason")); err != nil {
		return err
	}
	if wantsJSON(c) {
		return c.JSON(fiber.Map{"code": cert.Code, "status": "revoked"})
	}
	return h.redirectWithFlash(c, "/certificates/"+cert.Code, "revoked")
}
