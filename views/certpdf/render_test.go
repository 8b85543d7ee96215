package certpdf

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func sample(name string) Certificate {
	return Certificate{
		RecipientName:  name,
		CourseTitle:    "Certificate Course in International Relations",
		CourseSubtitle: "Six-week online course in International Relations",
		CohortName:     "Autumn 2026",
		CompletedOn:    time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
		IssuerName:     "The Kootneeti",
		Code:           "7KQ2M-9XDT4-RAB3C",
		VerifyURL:      "http://localhost:3000/certificates/7KQ2M-9XDT4-RAB3C",
		Criteria:       sampleCriteria,
	}
}

const sampleCriteria = "Read every required reading of the six weeks and passed each knowledge check with at least 80 %."

var longName = strings.TrimSpace(strings.Repeat("Maximiliana Wolfeschlegelsteinhausen ", 6))[:200]

// render renders c and, when CERTPDF_OUT names a directory, keeps a copy
// there for a person to look at.
func render(t *testing.T, file string, c Certificate) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, c); err != nil {
		t.Fatalf("Render: %v", err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("%PDF-")) {
		t.Fatalf("output is not a PDF")
	}
	if dir := os.Getenv("CERTPDF_OUT"); dir != "" && file != "" {
		if err := os.WriteFile(filepath.Join(dir, file), buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// tool returns the path of a command-line tool, or skips the test; with
// REQUIRE_TOOLS=1 (as in CI) a missing tool fails it instead.
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("REQUIRE_TOOLS") == "1" {
			t.Fatalf("%s not found (install the Debian package %s)", name, pkg)
		}
		t.Skipf("%s not found (install the Debian package %s)", name, pkg)
	}
	return p
}

// pdfText extracts the text of a PDF with poppler's pdftotext.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	cmd := exec.Command(tool(t, "pdftotext", "poppler-utils"), "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}

// squash NFKC-normalises s (presentation forms become letters) and removes
// all white space.
func squash(s string) string {
	return strings.Join(strings.Fields(norm.NFKC.String(s)), "")
}

func TestRenderTextAndQR(t *testing.T) {
	for _, tt := range []struct{ file, name string }{
		{"latin.pdf", "Zoë Ñúñez-Øberg"},
		{"cyrillic.pdf", "Анна Петрова"},
		{"persian.pdf", "احمد رحیمی"},
		{"long.pdf", longName},
	} {
		t.Run(tt.file, func(t *testing.T) {
			pdf := render(t, tt.file, sample(tt.name))
			text := pdfText(t, pdf)
			if !strings.Contains(text, "7KQ2M-9XDT4-RAB3C") {
				t.Errorf("code missing from PDF text:\n%s", text)
			}
			if !containsName(text, tt.name) {
				t.Errorf("name %q missing from PDF text:\n%s", tt.name, text)
			}
			if hasRTL([]rune(tt.name)) && !strings.ContainsFunc(text, isPresentationForm) {
				t.Errorf("Arabic name %q was not shaped into presentation forms:\n%s", tt.name, text)
			}
			for _, want := range []string{"Certificate of Completion", "This certifies that",
				"Certificate Course in International Relations", "27 November 2026", "Autumn 2026",
				"The Kootneeti"} {
				if !strings.Contains(text, want) {
					t.Errorf("%q missing from PDF text", want)
				}
			}
			if !strings.Contains(squash(text), squash("Awarded for: "+sampleCriteria)) {
				t.Errorf("the small print does not state the criteria:\n%s", text)
			}
			if strings.Contains(text, "REVOKED") {
				t.Error("a valid certificate says REVOKED")
			}
			if got := decodeQR(t, pdf); got != sample("").VerifyURL {
				t.Errorf("QR code decodes to %q, want %q", got, sample("").VerifyURL)
			}
		})
	}
}

func isPresentationForm(r rune) bool {
	return (r >= 0xFB50 && r <= 0xFDFF) || (r >= 0xFE70 && r <= 0xFEFF)
}

// containsName reports whether the extracted text holds name, allowing
// for line breaks, presentation forms and (for right-to-left names) the
// visual order in which the characters were drawn.
func containsName(text, name string) bool {
	got, want := squash(text), squash(name)
	if strings.Contains(got, want) {
		return true
	}
	r := []rune(want)
	for i, j := 0, len(r)-1; i < j; i, j = i+1, j-1 {
		r[i], r[j] = r[j], r[i]
	}
	return strings.Contains(got, string(r))
}

// decodeQR rasterises the PDF with pdftoppm and reads the QR code with
// zbarimg.
func decodeQR(t *testing.T, pdf []byte) string {
	t.Helper()
	pdftoppm := tool(t, "pdftoppm", "poppler-utils")
	zbarimg := tool(t, "zbarimg", "zbar-tools")
	dir := t.TempDir()
	in := filepath.Join(dir, "cert.pdf")
	if err := os.WriteFile(in, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(pdftoppm, "-png", "-r", "150", "-singlefile", in, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	out, err := exec.Command(zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", filepath.Join(dir, "page.png")).Output()
	if err != nil {
		t.Fatalf("zbarimg found no QR code: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func TestRenderRevoked(t *testing.T) {
	c := sample("Zoë Ñúñez-Øberg")
	c.Revoked = true
	pdf := render(t, "revoked.pdf", c)
	text := pdfText(t, pdf)
	if n := strings.Count(text, "REVOKED"); n < 2 {
		t.Errorf("REVOKED appears %d times, want the banner, the status and the watermark:\n%s", n, text)
	}
	if !strings.Contains(text, "7KQ2M-9XDT4-RAB3C") {
		t.Error("code missing from a revoked certificate")
	}
	if got := decodeQR(t, pdf); got != c.VerifyURL {
		t.Errorf("QR code decodes to %q, want %q", got, c.VerifyURL)
	}
}

// Names that must never make Render fail.
var hardNames = map[string]string{
	"empty":            "",
	"spaces":           "   \t\n ",
	"harakat":          "مُحَمَّد عَلِيّ",
	"lam-alef":         "عبدالله الأمين",
	"mixed direction":  "Ali (علی) Ahmadi 2026",
	"rtl with latin":   "احمد رحیمی (Ahmad Rahimi) ۲۰۲۶",
	"pashto":           "ښکلی ځواک ګل",
	"urdu":             "عائشہ صدیقی",
	"hebrew":           "דוד כהן",
	"cjk":              "王小明",
	"emoji":            "Zoë 😀 👩‍🎓",
	"invalid utf-8":    "Bad \xff\xfe name \xc3",
	"controls":         "A\x00B\x1bC\u202eD\u200fE",
	"combining":        "Zoe\u0308 Nu\u0301n\u0303ez",
	"one long word":    strings.Repeat("W", 300),
	"long arabic":      strings.Repeat("احمد رحیمی ", 30),
	"private use":      "\ue000\uf8ff",
	"noncharacters":    "\ufffe\uffff",
	"zero-width only":  "\u200b\u200c\u200d",
	"tatweel":          "مـــحمد",
	"supplementary cp": "𐐷𝔘𝔫𝔦𝔠𝔬𝔡𝔢 \U00010000",
	"huge":             strings.Repeat("Ab ", 5000),
}

func TestRenderNeverFails(t *testing.T) {
	for name, recipient := range hardNames {
		t.Run(name, func(t *testing.T) {
			c := sample(recipient)
			c.CourseTitle, c.IssuerName, c.CohortName = recipient+c.CourseTitle, recipient, recipient
			render(t, "hard-"+strings.ReplaceAll(name, " ", "-")+".pdf", c)
		})
	}
}

func TestRenderBadMetadata(t *testing.T) {
	for _, s := range []string{"Title \xe0", "\xf0\x9f", "😀", "a\x00b"} {
		c := sample("A")
		c.CourseTitle, c.IssuerName, c.CourseSubtitle, c.CohortName = s, s, s, s
		render(t, "", c)
	}
}

func TestRenderEmptyFields(t *testing.T) {
	pdf := render(t, "empty.pdf", Certificate{})
	if !strings.Contains(pdfText(t, pdf), "Certificate of Completion") {
		t.Error("title missing from an empty certificate")
	}
}

func TestRenderRejectsUnencodableURL(t *testing.T) {
	c := sample("A")
	c.VerifyURL = "http://x/" + strings.Repeat("a", 5000)
	var buf bytes.Buffer
	if err := Render(&buf, c); err == nil || !strings.HasPrefix(err.Error(), "certpdf: ") {
		t.Errorf("Render with a 5000-byte URL = %v, want a certpdf error", err)
	}
}

// TestTextStaysOnPage checks with pdftotext -bbox that every word lies
// inside the inner border, for names of every kind.
func TestTextStaysOnPage(t *testing.T) {
	bin := tool(t, "pdftotext", "poppler-utils")
	names := []string{longName, hardNames["one long word"], hardNames["long arabic"], hardNames["huge"], "احمد رحیمی"}
	for i, name := range names {
		c := sample(name)
		c.CourseTitle = name
		pdf := render(t, "", c)
		cmd := exec.Command(bin, "-bbox", "-", "-")
		cmd.Stdin = bytes.NewReader(pdf)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdftotext -bbox: %v", err)
		}
		const mm = 72 / 25.4
		const left, top, right, bottom = 14.5 * mm, 14.5 * mm, (pageW - 14.5) * mm, (pageH - 14.5) * mm
		words := 0
		for _, w := range parseBBoxes(t, string(out)) {
			words++
			if strings.Contains(w.text, "REVOKED") {
				continue
			}
			if w.xMin < left || w.yMin < top || w.xMax > right || w.yMax > bottom {
				t.Errorf("name %d: word %q at (%.0f,%.0f)-(%.0f,%.0f) pt leaves the border", i, w.text, w.xMin, w.yMin, w.xMax, w.yMax)
			}
		}
		if words < 10 {
			t.Errorf("name %d: only %d words found", i, words)
		}
	}
}

type bbox struct {
	text                   string
	xMin, yMin, xMax, yMax float64
}

// parseBBoxes reads the <word> elements of pdftotext -bbox output.
func parseBBoxes(t *testing.T, html string) []bbox {
	t.Helper()
	var boxes []bbox
	for _, line := range strings.Split(html, "\n") {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "<word ") {
			continue
		}
		var b bbox
		attrs, text, _ := strings.Cut(strings.TrimPrefix(line, "<word "), ">")
		b.text = strings.TrimSuffix(text, "</word>")
		for _, kv := range strings.Fields(attrs) {
			k, v, _ := strings.Cut(kv, "=")
			f, err := strconv.ParseFloat(strings.Trim(v, `"`), 64)
			if err != nil {
				t.Fatalf("bad bbox attribute %q", kv)
			}
			switch k {
			case "xMin":
				b.xMin = f
			case "yMin":
				b.yMin = f
			case "xMax":
				b.xMax = f
			case "yMax":
				b.yMax = f
			}
		}
		boxes = append(boxes, b)
	}
	return boxes
}

func FuzzRender(f *testing.F) {
	for _, n := range hardNames {
		f.Add(n)
	}
	f.Fuzz(func(t *testing.T, name string) {
		if err := Render(io.Discard, sample(name)); err != nil {
			t.Fatalf("Render(%q): %v", name, err)
		}
	})
}

// Render is safe for concurrent use and deterministic.
func TestRenderConcurrent(t *testing.T) {
	names := []string{"Zoë Ñúñez-Øberg", "Анна Петрова", "احمد رحیمی", longName}
	want := make([][]byte, len(names))
	for i, n := range names {
		want[i] = render(t, "", sample(n))
	}
	errs := make(chan error, 4*len(names))
	for range 4 {
		for i, n := range names {
			go func() {
				var buf bytes.Buffer
				err := Render(&buf, sample(n))
				if err == nil && !bytes.Equal(buf.Bytes(), want[i]) {
					err = fmt.Errorf("output for %q differs between runs", n)
				}
				errs <- err
			}()
		}
	}
	for range 4 * len(names) {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
