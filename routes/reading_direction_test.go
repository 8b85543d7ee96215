package routes_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"courseportal/models"
)

// dariParagraphs is a reading body of n short Dari paragraphs.
func dariParagraphs(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString("\n\n")
		}
		b.WriteString("این بند شماره " + strconv.Itoa(i+1) + " یک متن آزمایشی به زبان دری است. ")
		// \u200c is the zero-width non-joiner of Persian spelling.
		b.WriteString("خواننده این متن را از راست به چپ می\u200cخواند و پیشرفت او ثبت می\u200cشود.")
	}
	return b.String()
}

// addSeededReading adds a published reading to week 1 of the seeded course
// through the reading editor, as an administrator.
func addSeededReading(t *testing.T, e *env, slug, title, body, lang string) response {
	t.Helper()
	admin, _ := e.loginAs(models.RoleAdmin)
	form := readingForm(1, slug, title, body)
	form.Set("language", lang)
	form.Set("min_minutes", "0")
	return admin.postForm("/admin/courses/"+courseSlug+"/readings", form)
}

// A reading in Dari or Pashto opens right to left whatever the interface
// speaks: from the language staff set, else from its first letters. The
// English seed stays left to right.
func TestReadingKeepsItsOwnDirection(t *testing.T) {
	e := newEnv(t)
	mustRedirect(t, addSeededReading(t, e, "dari-reading", "خوانش دری", dariParagraphs(3), "fa-af"), "/admin/courses/")
	mustRedirect(t, addSeededReading(t, e, "pashto-reading", "د پښتو لوست",
		"دا د پښتو ژبې یو ازمایښتي متن دی.\n\nدوهم بند هم په پښتو دی.", ""), "/admin/courses/")
	student := joinSeeded(t, e, "Farid Ahmadi")
	for _, tc := range []struct{ slug, article string }{
		{"dari-reading", `id="reading" dir="rtl" lang="fa-AF"`},
		{"pashto-reading", `id="reading" dir="rtl"` + "\n"},
		{readingSlug, `id="reading" dir="ltr"` + "\n"},
	} {
		page := student.get("/learn/" + courseSlug + "/readings/" + tc.slug)
		if page.Status != http.StatusOK {
			t.Fatalf("%s = %d", tc.slug, page.Status)
		}
		mustContain(t, page.Body, tc.article, `<html lang="en" dir="ltr">`, `data-paragraphs="`)
	}
	admin, _ := e.loginAs(models.RoleAdmin)
	edit := admin.get("/admin/courses/" + courseSlug + "/readings/dari-reading")
	mustContain(t, edit.Body, `name="language" type="text" value="fa-AF"`)

	bad := addSeededReading(t, e, "bad-language", "Bad", "Some text.", "Dari please")
	if bad.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a language that is no tag = %d, want 422", bad.Status)
	}
	mustContain(t, bad.Body, "Give the language as a tag such as en, fa-AF")
}
