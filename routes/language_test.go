package routes_test

import (
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"

	"golang.org/x/text/unicode/norm"
)

const dariPage = `<html lang="fa-AF" dir="rtl">`

// getWith sends a GET with extra headers.
func (c *client) getWith(path string, header map[string]string) response {
	req, err := http.NewRequest(http.MethodGet, path, nil)
	if err != nil {
		c.e.t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

func TestAcceptLanguageChoosesTheInterface(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	cases := []struct{ accept, want string }{
		{"fa-AF,fa;q=0.9,en;q=0.5", dariPage},
		{"fa", dariPage},
		{"de-DE,de;q=0.9", `<html lang="en" dir="ltr">`},
		{"", `<html lang="en" dir="ltr">`},
	}
	for _, tc := range cases {
		res := c.getWith("/", map[string]string{"Accept-Language": tc.accept})
		if !strings.Contains(res.Body, tc.want) {
			t.Errorf("Accept-Language %q: page lacks %s", tc.accept, tc.want)
		}
		if !strings.Contains(res.Header.Get("Vary"), "Accept-Language") {
			t.Errorf("Accept-Language %q: Vary = %q", tc.accept, res.Header.Get("Vary"))
		}
	}
	dari := c.getWith("/courses/"+courseSlug, map[string]string{"Accept-Language": "fa-AF"})
	mustContain(t, dari.Body, "برنامهٔ درسی", "هفتهٔ\u00a01", `<option value="fa-AF" lang="fa-AF" dir="rtl" selected>دری</option>`)
}

func TestLangQuerySwitchesAndAVisitorKeepsIt(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	if res := c.get("/?lang=fa-AF"); !strings.Contains(res.Body, dariPage) {
		t.Fatal("?lang=fa-AF did not switch the page")
	}
	if c.cookies["lang"] != "fa-AF" {
		t.Fatalf("visitor's language cookie = %q", c.cookies["lang"])
	}
	// Later pages keep it, whatever the browser says.
	if res := c.getWith("/login", map[string]string{"Accept-Language": "en"}); !strings.Contains(res.Body, dariPage) {
		t.Error("the visitor's choice was not kept")
	}
	// Unknown or malformed codes change nothing.
	for _, bad := range []string{"de", "x-pseudo", "fa-AF%00", strings.Repeat("a", 300)} {
		if res := c.get("/?lang=" + bad); res.Status != http.StatusOK && res.Status != http.StatusBadRequest {
			t.Errorf("?lang=%q = %d", bad, res.Status)
		} else if res.Status == http.StatusOK && !strings.Contains(res.Body, dariPage) {
			t.Errorf("?lang=%q changed the language", bad)
		}
	}
	if res := c.get("/?lang=en"); !strings.Contains(res.Body, `<html lang="en" dir="ltr">`) || c.cookies["lang"] != "en" {
		t.Error("?lang=en did not switch back")
	}
}

func TestTheSelectorSavesTheChoiceOnTheAccount(t *testing.T) {
	e := newEnv(t)
	c, u := e.loginAs(models.RoleStudent)
	res := c.postForm("/language", url.Values{"lang": {"fa-AF"}, "next": {"/dashboard"}})
	if res.Status != http.StatusSeeOther || res.Header.Get("Location") != "/dashboard" {
		t.Fatalf("POST /language = %d → %q", res.Status, res.Header.Get("Location"))
	}
	if got := e.userOf(u.Email).Language; got != "fa-AF" {
		t.Fatalf("account language = %q", got)
	}
	// Another device, whose browser asks for English, follows the account.
	other := e.login(u)
	page := other.getWith("/dashboard", map[string]string{"Accept-Language": "en"})
	if !strings.Contains(page.Body, dariPage) || !strings.Contains(page.Body, "دوره\u200cهای من") {
		t.Error("the account's choice does not follow the person to another device")
	}
	// An empty choice goes back to the browser's language.
	if res := c.postForm("/language", url.Values{"lang": {""}, "next": {"https://evil.example/"}}); res.Header.Get("Location") != "/" {
		t.Errorf("an outside next went to %q", res.Header.Get("Location"))
	}
	if got := e.userOf(u.Email).Language; got != "" {
		t.Errorf("account language after reset = %q", got)
	}
	if res := c.getWith("/admin/", map[string]string{"Accept-Language": "fa-AF"}); res.Status != http.StatusForbidden ||
		!strings.Contains(res.Body, `<html lang="en" dir="ltr">`) {
		t.Errorf("the English-only console answered %d in another language", res.Status)
	}
	if res := c.postForm("/language", url.Values{"lang": {"klingon"}}); res.Status != http.StatusBadRequest {
		t.Errorf("unknown language = %d, want 400", res.Status)
	}
	if res := e.client().postForm("/language", url.Values{"lang": {"fa-AF"}}); res.Status != http.StatusSeeOther {
		t.Errorf("a visitor's choice = %d", res.Status)
	}
}

// TestJoiningInDariWritesMailInDari checks that the language a person joins
// in becomes their account's, and their mail speaks it; JSON errors stay
// English whatever the language.
func TestJoiningInDariWritesMailInDari(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.get("/join/" + courseSlug + "?lang=fa-AF")
	res := c.postForm("/join/"+courseSlug, url.Values{"full_name": {"مریم رحیمی"}, "email": {"maryam@example.org"},
		"password": {"s3cret-passphrase"}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("join = %d\n%s", res.Status, res.Body)
	}
	u := e.userOf("maryam@example.org")
	if u.Language != "fa-AF" {
		t.Fatalf("account language = %q", u.Language)
	}
	var mails []models.OutboxEntry
	if err := e.store.DB().Where("user_id = ?", u.ID).Order("id").Find(&mails).Error; err != nil {
		t.Fatal(err)
	}
	if len(mails) != 2 {
		t.Fatalf("%d mails", len(mails))
	}
	mustContain(t, mails[0].Subject+mails[0].BodyText, "خوش آمدید", "سلام مریم رحیمی،", "/verify-email/")
	mustContain(t, mails[1].Subject+mails[1].BodyText, "به ", "خوش آمدید", "ثبت\u200cنام")
	api := c.get("/api/v1/courses/no-such-course")
	if api.Status != http.StatusNotFound || !strings.Contains(api.Body, `"message":"`) || strings.Contains(api.Body, "پیدا") {
		t.Errorf("JSON error in the person's language: %s", api.Body)
	}
}

// TestCertificatePDFInTheReadersLanguage reads the PDF's fixed text back
// with pdftotext: Dari for a Dari reader, English otherwise.
func TestCertificatePDFInTheReadersLanguage(t *testing.T) {
	bin := testdb.Tool(t, "pdftotext", "poppler-utils")
	e := newEnv(t)
	_, code := completeSeeded(t, e, "Farid Ahmadi")
	text := func(lang string) string {
		res := e.client().get("/certificates/" + code + "/pdf?lang=" + lang)
		if res.Status != http.StatusOK {
			t.Fatalf("PDF in %s = %d", lang, res.Status)
		}
		cmd := exec.Command(bin, "-enc", "UTF-8", "-", "-")
		cmd.Stdin = strings.NewReader(res.Body)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("pdftotext: %v", err)
		}
		return norm.NFKC.String(string(out))
	}
	english, dari := text("en"), text("fa-AF")
	if !strings.Contains(english, "Certificate of Completion") || !strings.Contains(english, "Farid Ahmadi") {
		t.Errorf("English PDF:\n%s", english)
	}
	if strings.Contains(dari, "Certificate of Completion") || strings.Contains(dari, "Verify at") ||
		!strings.Contains(dari, "Farid Ahmadi") || !strings.Contains(dari, code) {
		t.Errorf("Dari PDF keeps English or loses the name or code:\n%s", dari)
	}
	if !strings.Contains(strings.Join(strings.Fields(dari), ""), "اسکن") {
		t.Errorf("Dari PDF lacks its Dari wording:\n%s", dari)
	}
}
