package routes_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"courseportal/models"
)

func TestSignupRefusesWeakPasswords(t *testing.T) {
	e := newEnv(t)
	cases := []struct{ name, email, password, message string }{
		{"common", "common@example.org", "password1", "too common"},
		{"breached", "breached@example.org", "P@ssw0rd", "too common"},
		{"keyboard walk", "walk@example.org", "qwertyuiop", "too common"},
		{"own email", "myself@example.org", "Myself@Example.org", "your email address"},
		{"own email with spaces", "self@example.org", " self@example.org ", "your email address"},
		{"all whitespace", "blank@example.org", "            ", "only spaces"},
		{"long and weak", "long@example.org", strings.Repeat("password", 30), "too common"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for _, path := range []string{"/signup", "/join/international-relations"} {
				res := e.client().postForm(path, url.Values{"full_name": {"Weak Password"}, "email": {tc.email}, "password": {tc.password}})
				if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, tc.message) {
					t.Errorf("%s with %q = %d, want 422 saying %q", path, tc.password, res.Status, tc.message)
				}
			}
		})
	}
	var n int64
	if err := e.store.DB().Model(&models.User{}).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d accounts were created with weak passwords", n)
	}
	if res := e.client().signup("Strong", "strong@example.org", "s3cret-passphrase"); res.Status != http.StatusSeeOther {
		t.Fatalf("a good passphrase was refused: %d", res.Status)
	}
}

func TestNamesRefuseControlAndBidiCharacters(t *testing.T) {
	e := newEnv(t)
	for _, name := range []string{"Red \x1b[31mAlert", "Bell\x07Ringer", "C1\u0085Next", "C1\u009bCSI",
		"Evil \u202eReversed", "Embed \u202aLTR", "Override \u202dLTR", "Isolate \u2066LRI", "Pop \u2069PDI", "Pop \u202cPDF"} {
		res := e.client().signup(name, "ctl@example.org", "s3cret-passphrase")
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "control characters") {
			t.Errorf("name %q = %d, want 422 naming control characters", name, res.Status)
		}
	}
	// ZWNJ and ZWJ belong to Persian and Pashto spelling; decomposed letters
	// are stored composed.
	persian := "می\u200cخواهم زهرا"
	res := e.client().signup(persian, "zwnj@example.org", "s3cret-passphrase")
	if res.Status != http.StatusSeeOther {
		t.Fatalf("a Persian name with ZWNJ = %d\n%s", res.Status, res.Body)
	}
	u, err := e.store.UserByEmail(t.Context(), "zwnj@example.org")
	if err != nil || u.FullName != persian {
		t.Fatalf("stored %q, %v; want %q", u.FullName, err, persian)
	}
	if res := e.client().signup("Zoe\u0308 Ñ\u0303", "nfc@example.org", "s3cret-passphrase"); res.Status != http.StatusSeeOther {
		t.Fatalf("decomposed name = %d", res.Status)
	}
	u, err = e.store.UserByEmail(t.Context(), "nfc@example.org")
	if err != nil || u.FullName != "Zoë Ñ̃" {
		t.Fatalf("stored %q, %v; want the NFC form", u.FullName, err)
	}
}

// A name correction follows the same rules as sign-up.
func TestNameCorrectionRefusesControlCharacters(t *testing.T) {
	e := newEnv(t)
	c, code := completeSeeded(t, e, "Plain Holder")
	for _, name := range []string{"Next\u0085Line", "Evil \u202eName", "Red \x1b[31m"} {
		res := c.postForm("/certificates/"+code+"/name-correction", url.Values{"full_name": {name}, "reason": {"Misspelt."}})
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "control characters") {
			t.Errorf("correction to %q = %d, want 422 naming control characters", name, res.Status)
		}
	}
	res := c.postForm("/certificates/"+code+"/name-correction", url.Values{"full_name": {"Plain Ho\u0308lder"}, "reason": {"Umlaut."}})
	if res.Status >= 400 {
		t.Fatalf("a decomposed name = %d", res.Status)
	}
	var nc models.NameCorrection
	if err := e.store.DB().Take(&nc).Error; err != nil {
		t.Fatal(err)
	}
	if nc.FullName != "Plain Hölder" {
		t.Fatalf("correction stored %q, want the NFC form", nc.FullName)
	}
}
