package certpdf

import (
	"fmt"

	"github.com/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// drawQR draws a QR code of content as vector squares, size mm wide with
// its top-left corner at (x, y), including the standard four-module quiet
// zone, dark modules in the current fill colour.
func drawQR(pdf *fpdf.Fpdf, content string, x, y, size float64) error {
	q, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("certpdf: unable to encode QR code: %w", err)
	}
	bits := q.Bitmap() // includes the quiet zone
	n := float64(len(bits))
	m := size / n
	for row, line := range bits {
		// One rectangle per horizontal run of dark modules.
		for col := 0; col < len(line); {
			if !line[col] {
				col++
				continue
			}
			start := col
			for col < len(line) && line[col] {
				col++
			}
			// A hair of overlap hides anti-aliasing seams between rows.
			pdf.Rect(x+float64(start)*m, y+float64(row)*m, float64(col-start)*m, m+0.02, "F")
		}
	}
	return nil
}
