package certpdf

import "time"

// Wording is the certificate's fixed text in one language. Empty fields
// take the English wording, so the zero value prints in English.
type Wording struct {
	// Lang is the document's language, a BCP 47 code like "fa-AF".
	Lang string
	// Title is "Certificate of Completion".
	Title string
	// Certifies precedes the name: "This certifies that".
	Certifies string
	// HasCompleted follows the name: "has completed the".
	HasCompleted string
	// CodeLabel heads the code: "CERTIFICATE CODE".
	CodeLabel string
	// StatusRevoked replaces the verification line: "Status: REVOKED".
	StatusRevoked string
	// ScanVerify and ScanStatus sit over the QR code.
	ScanVerify, ScanStatus string
	// RevokedBanner and RevokedMark mark a revoked certificate.
	RevokedBanner, RevokedMark string
	// CompletedOn words the completion date: "Completed on 18 March 2021".
	CompletedOn func(time.Time) string
	// Cohort, AwardedFor, IssuedBy and VerifyAt put a value in its phrase.
	Cohort, AwardedFor, IssuedBy, VerifyAt func(string) string
}

// english is the wording when none is given.
var english = Wording{
	Lang:          "en",
	Title:         "Certificate of Completion",
	Certifies:     "This certifies that",
	HasCompleted:  "has completed the",
	CodeLabel:     "CERTIFICATE CODE",
	StatusRevoked: "Status: REVOKED",
	ScanVerify:    "Scan to verify",
	ScanStatus:    "Scan for current status",
	RevokedBanner: "REVOKED — THIS CERTIFICATE IS NO LONGER VALID",
	RevokedMark:   "REVOKED",
	CompletedOn:   func(t time.Time) string { return "Completed on " + t.Format("2 January 2006") },
	Cohort:        func(s string) string { return "Cohort: " + s },
	AwardedFor:    func(s string) string { return "Awarded for: " + s },
	IssuedBy:      func(s string) string { return "Issued by " + s },
	VerifyAt:      func(s string) string { return "Verify at " + s },
}

// complete fills the empty fields of w with the English wording.
func (w Wording) complete() Wording {
	text := func(s *string, fallback string) {
		if *s == "" {
			*s = fallback
		}
	}
	phrase := func(f *func(string) string, fallback func(string) string) {
		if *f == nil {
			*f = fallback
		}
	}
	text(&w.Lang, english.Lang)
	text(&w.Title, english.Title)
	text(&w.Certifies, english.Certifies)
	text(&w.HasCompleted, english.HasCompleted)
	text(&w.CodeLabel, english.CodeLabel)
	text(&w.StatusRevoked, english.StatusRevoked)
	text(&w.ScanVerify, english.ScanVerify)
	text(&w.ScanStatus, english.ScanStatus)
	text(&w.RevokedBanner, english.RevokedBanner)
	text(&w.RevokedMark, english.RevokedMark)
	if w.CompletedOn == nil {
		w.CompletedOn = english.CompletedOn
	}
	phrase(&w.Cohort, english.Cohort)
	phrase(&w.AwardedFor, english.AwardedFor)
	phrase(&w.IssuedBy, english.IssuedBy)
	phrase(&w.VerifyAt, english.VerifyAt)
	return w
}
