// Package certpdf draws a course certificate as a PDF: one A4 landscape
// page with a double border, "Certificate of Completion", the recipient's
// name large and centred, the course, the completion date and cohort, the
// issuer, the certificate code, the verification URL and a QR code of it.
//
// # Fonts
//
// DejaVu Serif, DejaVu Serif Italic and DejaVu Sans are embedded in the
// binary (see fonts/LICENSE-DejaVu.txt) and subset into each PDF. They
// cover Latin, Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic. Each
// character is drawn with the face the design calls for if it has the
// glyph, else with DejaVu Sans, else as U+FFFD (a diamond with a question
// mark): Chinese, Japanese, Korean, Indic scripts and emoji, among others,
// are not covered and come out that way.
//
// # Arabic script
//
// fpdf draws one glyph per character, left to right, without OpenType
// shaping or bidirectional reordering; given Arabic text as it is, it would
// print unconnected letters in reverse order. The small Go Arabic
// reshapers (01walid/goarabic, AbdullahDiaa/garabic,
// ravarage/go-arabic-reshaper) are not available from the module proxy
// this project uses, and a full shaping engine (go-text/typesetting)
// outputs glyph indices, which fpdf cannot draw. So this package does the
// classic "reshaping" itself (arabic.go, bidi.go):
//
//   - each Arabic letter becomes the Unicode presentation form (isolated,
//     initial, medial or final) that its neighbours call for, and lam
//     followed by alef becomes the lam-alef ligature; harakat and other
//     marks are skipped when finding neighbours, ZWNJ breaks a join and
//     ZWJ and tatweel make one;
//   - the line is put in visual order by the Unicode Bidirectional
//     Algorithm for a line without explicit embeddings (character classes
//     from golang.org/x/text/unicode/bidi), so right-to-left words run
//     right to left, digits and Latin words inside them keep their own
//     order, and brackets are mirrored;
//   - the result is drawn with DejaVu Sans, which has the presentation
//     forms of Arabic, Persian/Dari and Urdu letters.
//
// Arabic, Persian and Dari names therefore print as connected right-to-left
// text, in DejaVu's plain sans-serif style: there is no contextual
// alternation, kerning or mark positioning of a real shaping engine, so
// harakat sit at the font's default places. Letters that Unicode has no
// presentation forms for (Pashto ټ ځ څ ډ ړ ږ ښ ګ ڼ and others) are drawn
// in their isolated form and do not join; Urdu heh goal (ہ), yeh barree
// (ے) and Pashto yeh (ۍ), which DejaVu Sans lacks, are drawn as the nearest
// letter it has (ه, ی). Text extracted from the PDF (copy and paste,
// pdftotext) gives presentation-form characters; NFKC normalisation turns
// them back into ordinary letters, and poppler restores the logical order.
package certpdf
