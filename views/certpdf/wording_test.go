package certpdf

import (
	"strings"
	"testing"
	"time"
)

// TestWordingInDari renders the fixed text in Dari: the right-to-left
// labels come out shaped, and nothing of the English wording is left.
func TestWordingInDari(t *testing.T) {
	c := sample("فرید احمدی")
	c.Wording = Wording{
		Lang:         "fa-AF",
		Title:        "تصدیق\u200cنامهٔ تکمیل دوره",
		Certifies:    "بدین\u200cوسیله تصدیق می\u200cشود که",
		HasCompleted: "دورهٔ زیر را با موفقیت به پایان رسانده است",
		CodeLabel:    "کد تصدیق\u200cنامه",
		ScanVerify:   "برای تأیید اسکن کنید",
		CompletedOn: func(d time.Time) string {
			return "تاریخ تکمیل: " + d.Format("2") + " نومبر " + d.Format("2006")
		},
		Cohort:     func(s string) string { return "گروه: " + s },
		AwardedFor: func(s string) string { return "اعطا شده برای: " + s },
		IssuedBy:   func(s string) string { return "صادر شده توسط " + s },
		VerifyAt:   func(s string) string { return "تأیید در " + s },
	}
	text := pdfText(t, render(t, "dari-wording.pdf", c))
	for _, want := range []string{"تصدیق\u200cنامهٔ", "تکمیل", "اسکن", "صادر", "نومبر", "فرید"} {
		if !containsName(text, strings.ReplaceAll(want, "\u200c", "")) {
			t.Errorf("%q missing from the PDF text:\n%s", want, text)
		}
	}
	for _, english := range []string{"Certificate of Completion", "This certifies", "has completed", "CERTIFICATE CODE",
		"Completed on", "Cohort:", "Issued by", "Verify at", "Scan to verify", "Awarded for"} {
		if strings.Contains(text, english) {
			t.Errorf("English %q left in the Dari certificate", english)
		}
	}
	for _, kept := range []string{"7KQ2M-9XDT4-RAB3C", "Autumn 2026", "The Kootneeti"} {
		if !strings.Contains(text, kept) {
			t.Errorf("%q missing from the PDF text", kept)
		}
	}
}
