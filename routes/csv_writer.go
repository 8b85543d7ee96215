package routes

import (
	"bufio"
	"strings"
)

// csvWriter writes CSV with every cell quoted and made safe from formula
// injection. encoding/csv quotes only cells holding a comma, quote or line
// break, but a spreadsheet set up with ";" (or another) separator splits an
// unquoted "Semi;=cmd|..." into two cells, the second a formula; quoting
// every cell keeps each one whole, whatever the separator.
type csvWriter struct{ w *bufio.Writer }

func newCSVWriter(w *bufio.Writer) *csvWriter { return &csvWriter{w: w} }

// Write writes one record as a line of quoted, defused cells.
func (cw *csvWriter) Write(record []string) error {
	for i, cell := range record {
		if i > 0 {
			if err := cw.w.WriteByte(','); err != nil {
				return err
			}
		}
		if _, err := cw.w.WriteString(csvQuote(csvSafe(cell))); err != nil {
			return err
		}
	}
	return cw.w.WriteByte('\n')
}

// csvQuote encloses a cell in double quotes, doubling the quotes inside
// (RFC 4180).
func csvQuote(cell string) string {
	return `"` + strings.ReplaceAll(cell, `"`, `""`) + `"`
}
