package certpdf

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/go-pdf/fpdf"
)

// Certificate is what the PDF shows.
type Certificate struct {
	// RecipientName is printed large and centred; any UTF-8 is accepted.
	RecipientName string
	// CourseTitle, e.g. "Certificate Course in International Relations".
	CourseTitle string
	// CourseSubtitle, e.g. "Six-week online course in International Relations".
	CourseSubtitle string
	// CohortName is shown after the completion date; empty leaves it out.
	CohortName string
	// CompletedOn is written out as "27 November 2026"; zero leaves it out.
	CompletedOn time.Time
	// IssuerName, e.g. "The Kootneeti".
	IssuerName string
	// Code is the certificate code, e.g. "7KQ2M-9XDT4-RAB3C".
	Code string
	// VerifyURL is encoded in the QR code and, unless Revoked, printed
	// under the code; empty leaves both out.
	VerifyURL string
	// Revoked marks the certificate REVOKED in red across the page.
	Revoked bool
	// Criteria, the rule the holder met, is printed as small print under
	// the details; empty leaves it out.
	Criteria string
	// Wording is the fixed text, in the reader's language; English when
	// empty.
	Wording Wording
}

// Page geometry, in millimetres (A4 landscape).
const (
	pageW, pageH = 297.0, 210.0
	centreX      = pageW / 2
)

type rgb struct{ r, g, b int }

var (
	cream = rgb{252, 249, 242}
	navy  = rgb{27, 42, 74}
	gold  = rgb{176, 141, 87}
	ink   = rgb{38, 38, 38}
	grey  = rgb{100, 100, 100}
	red   = rgb{178, 34, 34}
)

// Render writes c as a one-page A4 landscape PDF certificate to w.
//
// Every font is embedded in the binary, so the output is the same on every
// machine. No text makes Render fail: characters the fonts lack are drawn
// as U+FFFD, and text too long for its place shrinks, then wraps, and is
// finally cut with "…". Right-to-left names are shaped and ordered as the
// package documentation describes. Render fails only if VerifyURL is too
// long for a QR code (about 2,300 bytes) or w fails.
func Render(w io.Writer, c Certificate) error {
	c.Wording = c.Wording.complete()
	fonts, err := loadFonts()
	if err != nil {
		return fmt.Errorf("certpdf: unable to load fonts: %w", err)
	}
	pdf := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "L", UnitStr: "mm", SizeStr: "A4"})
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCompression(true)
	pdf.SetCatalogSort(true)
	pdf.SetCreator("courseportal", true)
	pdf.SetTitle(metadata(c.Wording.Title), true)
	pdf.SetSubject(metadata(c.CourseTitle), true)
	pdf.SetAuthor(metadata(c.IssuerName), true)
	pdf.SetLang(c.Wording.Lang)
	if !c.CompletedOn.IsZero() {
		pdf.SetCreationDate(c.CompletedOn)
		pdf.SetModificationDate(c.CompletedOn)
	}
	for _, f := range allFaces {
		// fpdf may write into the slice it is given while subsetting, so
		// each document gets its own copy.
		pdf.AddUTF8FontFromBytes(f.family, "", bytes.Clone(fonts.bytes[f]))
	}
	pdf.AddPage()

	t := &typesetter{pdf: pdf, fonts: fonts}
	drawFrame(pdf)
	if c.Revoked {
		drawRevokedBanner(t, c.Wording)
	}
	drawBody(t, c)
	if err := drawFooter(t, c); err != nil {
		return err
	}
	if c.Revoked {
		drawRevokedWatermark(t, c.Wording)
	}
	if err := pdf.Error(); err != nil {
		return fmt.Errorf("certpdf: unable to render: %w", err)
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("certpdf: unable to write PDF: %w", err)
	}
	return nil
}

// metadata makes s safe for fpdf's document information strings, whose
// UTF-16 conversion mishandles invalid UTF-8 and characters outside the
// Basic Multilingual Plane.
func metadata(s string) string {
	r := clean(s)
	for i, c := range r {
		if c > 0xFFFF {
			r[i] = replacement
		}
	}
	return string(r)
}

func setText(pdf *fpdf.Fpdf, c rgb) { pdf.SetTextColor(c.r, c.g, c.b) }
func setDraw(pdf *fpdf.Fpdf, c rgb) { pdf.SetDrawColor(c.r, c.g, c.b) }
func setFill(pdf *fpdf.Fpdf, c rgb) { pdf.SetFillColor(c.r, c.g, c.b) }

// drawFrame paints the background, the double border and its corner marks.
func drawFrame(pdf *fpdf.Fpdf) {
	setFill(pdf, cream)
	pdf.Rect(0, 0, pageW, pageH, "F")

	setDraw(pdf, navy)
	pdf.SetLineWidth(1.4)
	pdf.Rect(9, 9, pageW-18, pageH-18, "D")
	setDraw(pdf, gold)
	pdf.SetLineWidth(0.35)
	pdf.Rect(13, 13, pageW-26, pageH-26, "D")
	pdf.SetLineWidth(0.2)
	pdf.Rect(14.5, 14.5, pageW-29, pageH-29, "D")

	setFill(pdf, gold)
	for _, p := range [][2]float64{{13, 13}, {pageW - 13, 13}, {13, pageH - 13}, {pageW - 13, pageH - 13}} {
		diamond(pdf, p[0], p[1], 2.6)
	}
}

// diamond fills a square standing on its tip, centred on (x, y).
func diamond(pdf *fpdf.Fpdf, x, y, r float64) {
	pdf.Polygon([]fpdf.PointType{{X: x, Y: y - r}, {X: x + r, Y: y}, {X: x, Y: y + r}, {X: x - r, Y: y}}, "F")
}

// rule draws the gold ornament: two lines with a diamond between them.
func rule(pdf *fpdf.Fpdf, y, half float64) {
	setDraw(pdf, gold)
	setFill(pdf, gold)
	pdf.SetLineWidth(0.3)
	pdf.Line(centreX-half, y, centreX-3.5, y)
	pdf.Line(centreX+3.5, y, centreX+half, y)
	diamond(pdf, centreX, y, 1.5)
}

// drawBody sets the centred statement of the certificate.
func drawBody(t *typesetter, c Certificate) {
	pdf := t.pdf
	content := pageW - 70 // width available to centred text

	setText(pdf, gold)
	t.fitText(strings.ToUpper(c.IssuerName), box{centreX, 27, content, 7},
		fit{face: sans, maxSize: 11, minSize: 8, wrapMin: 7, leading: 1.2, tracking: 0.25})

	setText(pdf, navy)
	t.centred(c.Wording.Title, serif, 38, centreX, 52)
	rule(pdf, 59, 32)

	setText(pdf, grey)
	t.centred(c.Wording.Certifies, serifItalic, 14, centreX, 72)

	setText(pdf, ink)
	t.fitText(c.RecipientName, box{centreX, 76, content, 27},
		fit{face: serifItalic, maxSize: 40, minSize: 24, wrapMin: 9, leading: 1.2})
	setDraw(pdf, gold)
	pdf.SetLineWidth(0.3)
	pdf.Line(centreX-75, 106, centreX+75, 106)

	setText(pdf, grey)
	t.centred(c.Wording.HasCompleted, serifItalic, 14, centreX, 116)

	setText(pdf, navy)
	t.fitText(c.CourseTitle, box{centreX, 119, content, 12},
		fit{face: serif, maxSize: 24, minSize: 15, wrapMin: 8, leading: 1.15})
	setText(pdf, grey)
	t.fitText(c.CourseSubtitle, box{centreX, 131, content, 8},
		fit{face: serifItalic, maxSize: 13, minSize: 10, wrapMin: 7, leading: 1.15})

	var details []string
	if !c.CompletedOn.IsZero() {
		details = append(details, c.Wording.CompletedOn(c.CompletedOn))
	}
	if strings.TrimSpace(c.CohortName) != "" {
		details = append(details, c.Wording.Cohort(c.CohortName))
	}
	setText(pdf, ink)
	t.fitText(strings.Join(details, "   ·   "), box{centreX, 141, content, 7},
		fit{face: sans, maxSize: 10.5, minSize: 8, wrapMin: 6, leading: 1.2})

	if strings.TrimSpace(c.Criteria) != "" {
		setText(pdf, grey)
		t.fitText(c.Wording.AwardedFor(c.Criteria), box{centreX, 148.5, content - 20, 9},
			fit{face: sans, maxSize: 8, minSize: 6.5, wrapMin: 5, leading: 1.25})
	}
}

// drawFooter sets the issuer's signature block, the code and verification
// URL, and the QR code in the bottom-right corner.
func drawFooter(t *typesetter, c Certificate) error {
	pdf := t.pdf

	// Issuer, as a signature over a line.
	const sigX = 72.0
	setText(pdf, navy)
	t.fitText(c.IssuerName, box{sigX, 163, 78, 12},
		fit{face: serifItalic, maxSize: 17, minSize: 10, wrapMin: 7, leading: 1.15})
	setDraw(pdf, grey)
	pdf.SetLineWidth(0.25)
	pdf.Line(sigX-36, 177, sigX+36, 177)
	setText(pdf, grey)
	t.fitText(c.Wording.IssuedBy(c.IssuerName), box{sigX, 178.5, 78, 5},
		fit{face: sans, maxSize: 8, minSize: 6, wrapMin: 5, leading: 1.2})

	// Certificate code and where to verify it.
	const codeX = 160.0
	setText(pdf, gold)
	t.fitText(c.Wording.CodeLabel, box{codeX, 163, 90, 5},
		fit{face: sans, maxSize: 7.5, minSize: 7.5, wrapMin: 7.5, leading: 1.2, tracking: 0.2})
	setText(pdf, navy)
	t.fitText(c.Code, box{codeX, 168, 90, 8},
		fit{face: sans, maxSize: 14, minSize: 8, wrapMin: 6, leading: 1.2, tracking: 0.08})
	if c.Revoked {
		setText(pdf, red)
		t.centred(c.Wording.StatusRevoked, sans, 9, codeX, 181)
	} else if c.VerifyURL != "" {
		setText(pdf, grey)
		t.fitText(c.Wording.VerifyAt(c.VerifyURL), box{codeX, 177, 90, 9},
			fit{face: sans, maxSize: 8, minSize: 6.5, wrapMin: 5, leading: 1.25})
	}

	if c.VerifyURL == "" {
		return nil
	}
	const qrSize, qrX, qrY = 30.0, pageW - 19 - 30.0, pageH - 19 - 30.0
	setFill(pdf, rgb{255, 255, 255})
	pdf.Rect(qrX, qrY, qrSize, qrSize, "F")
	setFill(pdf, navy)
	if err := drawQR(pdf, c.VerifyURL, qrX, qrY, qrSize); err != nil {
		return err
	}
	if c.Revoked {
		setText(pdf, grey)
		t.centred(c.Wording.ScanStatus, sans, 6.5, qrX+qrSize/2, qrY-1.5)
	} else {
		setText(pdf, grey)
		t.centred(c.Wording.ScanVerify, sans, 6.5, qrX+qrSize/2, qrY-1.5)
	}
	return nil
}

// drawRevokedBanner puts a red band across the top of the page.
func drawRevokedBanner(t *typesetter, w Wording) {
	pdf := t.pdf
	setFill(pdf, red)
	pdf.Rect(14.5, 14.5, pageW-29, 10, "F")
	pdf.SetTextColor(255, 255, 255)
	t.centred(w.RevokedBanner, sans, 11, centreX, 21.3)
}

// drawRevokedWatermark writes REVOKED diagonally across the page.
func drawRevokedWatermark(t *typesetter, w Wording) {
	pdf := t.pdf
	pdf.SetAlpha(0.22, "Normal")
	setText(pdf, red)
	pdf.TransformBegin()
	pdf.TransformRotate(22, centreX, pageH/2)
	t.centred(w.RevokedMark, sans, 120, centreX, pageH/2+15)
	pdf.TransformEnd()
	pdf.SetAlpha(1, "Normal")
}
