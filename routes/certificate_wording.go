package routes

import (
	"time"

	"courseportal/views/certpdf"
	"courseportal/views/i18n"
)

// pdfWording is the certificate's fixed text in the reader's language.
func pdfWording(loc *i18n.Localizer) certpdf.Wording {
	phrase := func(id, field string) func(string) string {
		return func(s string) string { return loc.T(id, field, s) }
	}
	return certpdf.Wording{
		Lang:          loc.Code(),
		Title:         loc.T("pdf.title"),
		Certifies:     loc.T("pdf.certifies"),
		HasCompleted:  loc.T("pdf.has_completed"),
		CodeLabel:     loc.T("pdf.code_label"),
		StatusRevoked: loc.T("pdf.status_revoked"),
		ScanVerify:    loc.T("pdf.scan_verify"),
		ScanStatus:    loc.T("pdf.scan_status"),
		RevokedBanner: loc.T("pdf.revoked_banner"),
		RevokedMark:   loc.T("pdf.revoked_mark"),
		CompletedOn:   func(t time.Time) string { return loc.T("pdf.completed_on", "Date", loc.Date(t)) },
		Cohort:        phrase("pdf.cohort", "Cohort"),
		AwardedFor:    phrase("pdf.awarded_for", "Criteria"),
		IssuedBy:      phrase("pdf.issued_by", "Issuer"),
		VerifyAt:      phrase("pdf.verify_at", "URL"),
	}
}
