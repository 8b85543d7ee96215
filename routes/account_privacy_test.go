package routes_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

const joinPassword = "s3cret-passphrase" // joinSeeded's password

// userOf loads the account of an address.
func (e *env) userOf(email string) *models.User {
	e.t.Helper()
	u, err := e.store.UserByEmail(context.Background(), email)
	if err != nil {
		e.t.Fatalf("account of %s: %v", email, err)
	}
	return u
}

// certificateOf is the code of the certificate of the person at email.
func certificateOf(t *testing.T, e *env, email string) string {
	t.Helper()
	var codes []string
	err := e.store.DB().Model(&models.Certificate{}).Where("user_id = ?", e.userOf(email).ID).Pluck("code", &codes).Error
	if err != nil || len(codes) != 1 {
		t.Fatalf("certificates of %s: %v, %v", email, codes, err)
	}
	return codes[0]
}

// The export holds the person's account, enrollments with progress per
// reading, certificates and mail, with single-use links masked, and nothing
// of anyone else's.
func TestAccountExportHoldsOnlyThePersonsData(t *testing.T) {
	e := newEnv(t)
	openSeededCertificates(t, e)
	amina := joinSeeded(t, e, "Amina Export")
	bashir := joinSeeded(t, e, "Bashir Other")
	for _, c := range []*client{amina, bashir} {
		if res := c.sendJSON(http.MethodPut, progressURL, `{"course":"`+courseSlug+`","percent":40,"position":"p-3","seconds":20}`); res.Status != http.StatusOK {
			t.Fatalf("progress = %d %s", res.Status, res.Body)
		}
	}
	passSeededCheck(t, e, amina)
	passSeededCheck(t, e, bashir)
	code := certificateOf(t, e, "amina.export@example.org")
	e.client().postForm("/password/forgot", url.Values{"email": {"amina.export@example.org"}})

	res := amina.get("/account/export")
	if res.Status != http.StatusOK || !strings.Contains(res.Header.Get("Content-Type"), "application/json") ||
		!strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
		t.Fatalf("export = %d %q %q", res.Status, res.Header.Get("Content-Type"), res.Header.Get("Content-Disposition"))
	}
	var export models.AccountExport
	if err := json.Unmarshal([]byte(res.Body), &export); err != nil {
		t.Fatalf("export is not JSON: %v", err)
	}
	if export.Account.Email != "amina.export@example.org" || export.Account.FullName != "Amina Export" {
		t.Errorf("account = %+v", export.Account)
	}
	if len(export.Enrollments) != 1 || export.Enrollments[0].Course != courseSlug || export.Enrollments[0].Status != models.StatusCompleted {
		t.Fatalf("enrollments = %+v", export.Enrollments)
	}
	if p := export.Enrollments[0].Progress; len(p) != 1 || p[0].Reading != readingSlug || p[0].Percent != 100 || p[0].CompletedAt == nil {
		t.Errorf("progress = %+v", p)
	}
	if a := export.Enrollments[0].CheckAttempts; len(a) != 1 || a[0].Reading != readingSlug || !a[0].Passed || len(a[0].Answers) < 3 {
		t.Errorf("check attempts = %+v", a)
	}
	if len(export.Certificates) != 1 || export.Certificates[0].Code != code || export.Certificates[0].RecipientName != "Amina Export" {
		t.Errorf("certificates = %+v", export.Certificates)
	}
	subjects := []string{}
	for _, m := range export.Emails {
		subjects = append(subjects, m.Subject)
		if m.To != "amina.export@example.org" {
			t.Errorf("a message to %s is in the export", m.To)
		}
	}
	mustContain(t, strings.Join(subjects, "|"), "Welcome! Please confirm", "Welcome to", "Your certificate", "Reset your password")
	if mailLink.MatchString(res.Body) {
		t.Error("the export carries a live single-use link")
	}
	mustContain(t, res.Body, `/password/reset/…`)
	if len(export.Sessions) != 1 {
		t.Errorf("sessions = %+v", export.Sessions)
	}
	for _, other := range []string{"Bashir", "bashir.other@example.org", "argon2id", "password_hash"} {
		if strings.Contains(res.Body, other) {
			t.Errorf("the export contains %q", other)
		}
	}
	if res := e.client().get("/account/export"); res.Status != http.StatusSeeOther {
		t.Errorf("export without a session = %d, want a redirect to log in", res.Status)
	}
}

// Deleting an account leaves no personal data in any column of any table,
// withdraws the certificates, ends every session and all mail, and keeps
// the reading progress anonymised.
func TestAccountDeleteErasesPersonalData(t *testing.T) {
	e := newEnv(t)
	mail := e.smtp(t)
	const name, email = "Zarmina Qaderi", "zarmina.qaderi@example.org"
	openSeededCertificates(t, e)
	c := joinSeeded(t, e, name)
	joinSeeded(t, e, "Bystander Person")
	person := e.userOf(email)
	passSeededCheck(t, e, c)
	code := certificateOf(t, e, email)
	if code == "" {
		t.Fatal("no certificate")
	}
	other := e.client()
	if res := other.postForm("/login", url.Values{"email": {email}, "password": {joinPassword}}); res.Status != http.StatusSeeOther {
		t.Fatalf("second login = %d", res.Status)
	}
	e.client().postForm("/login", url.Values{"email": {email}, "password": {"a wrong guess"}})
	// A second factor, and a name correction asked on the certificate.
	testdb.EnableMFA(t, e.store, person)
	nc := c.postForm("/certificates/"+code+"/name-correction", url.Values{"full_name": {"Zarmina Qaderi-Nazari"},
		"reason": {"Zarmina's family name was left out"}})
	if nc.Status != http.StatusSeeOther {
		t.Fatalf("name correction = %d\n%s", nc.Status, nc.Body)
	}
	mustRedirect(t, c.postForm("/account/preferences", url.Values{"reminders": {"off"}}), "/account")
	admin, _ := e.loginAs(models.RoleAdmin)
	mustRedirect(t, admin.postForm(fmt.Sprintf("/admin/users/%d/password-reset", person.ID), nil), "/admin/users/")
	mail.deliver()

	if res := c.postForm("/account/delete", url.Values{"current_password": {"not it"}}); res.Status != http.StatusUnauthorized {
		t.Fatalf("delete with a wrong password = %d, want 401 as at sign-in", res.Status)
	}
	e.userOf(email) // still there
	deleted := c.postForm("/account/delete", url.Values{"current_password": {joinPassword}})
	mustRedirect(t, deleted, "/")
	if got := deleted.Header.Get("Clear-Site-Data"); !strings.Contains(got, `"storage"`) {
		t.Errorf("Clear-Site-Data = %q: the device keeps the saved readings", got)
	}

	hits, columns := searchEveryColumn(t, e, name, email, "Zarmina", "zarmina")
	if columns < 60 {
		t.Fatalf("searched only %d columns: the enumeration missed tables", columns)
	}
	if len(hits) > 0 {
		t.Fatalf("personal data left after deletion:\n%s", strings.Join(hits, "\n"))
	}
	if hits, _ := searchEveryColumn(t, e, "bystander.person@example.org"); len(hits) == 0 {
		t.Fatal("the search does not find another person's address: it cannot be trusted")
	}
	for _, table := range []string{"mfa_secrets", "mfa_recovery_codes", "name_corrections", "sessions", "account_tokens"} {
		var n int64
		q := "SELECT COUNT(*) FROM " + table + " WHERE user_id = ?"
		if table == "name_corrections" {
			q = "SELECT COUNT(*) FROM name_corrections WHERE certificate_id IN (SELECT id FROM certificates WHERE user_id = ?)"
		}
		if err := e.store.DB().Raw(q, person.ID).Scan(&n).Error; err != nil || n != 0 {
			t.Errorf("%s keeps %d rows of the erased account (%v)", table, n, err)
		}
	}

	page := e.client().get("/certificates/" + code)
	mustContain(t, page.Body, "This certificate was withdrawn", "withdrawn at the holder's request")
	for _, path := range []string{"/certificates/" + code + "/credential", "/certificates/" + code + "/pdf"} {
		if res := e.client().get(path); res.Status != http.StatusGone {
			t.Errorf("%s = %d, want 410", path, res.Status)
		}
	}
	if api := e.client().get("/api/v1/certificates/" + code).json(t); api["status"] != "revoked" || api["recipient_name"] != "" {
		t.Errorf("API certificate = %v", api)
	}
	for who, s := range map[string]*client{"deleting browser": c, "other session": other} {
		if res := s.get("/dashboard"); res.Status != http.StatusSeeOther {
			t.Errorf("the %s is still signed in (%d)", who, res.Status)
		}
	}
	if res := e.client().postForm("/login", url.Values{"email": {email}, "password": {joinPassword}}); res.Status != http.StatusUnauthorized {
		t.Errorf("login after deletion = %d, want 401", res.Status)
	}
	e.client().postForm("/password/forgot", url.Values{"email": {email}})
	for _, m := range mail.deliver() {
		t.Errorf("mail after deletion: %q to %s", m.Header.Get("Subject"), m.Header.Get("To"))
	}
	var progress int64
	err := e.store.DB().Table("reading_progress p").Joins("JOIN enrollments en ON en.id = p.enrollment_id").
		Where("en.user_id = ?", person.ID).Count(&progress).Error
	if err != nil || progress != 1 {
		t.Fatalf("anonymised progress rows = %d, %v; want the one kept", progress, err)
	}
	audit := admin.get("/admin/audit")
	mustContain(t, audit.Body, "account.delete", "certificate.revoke")
}

// searchEveryColumn looks for each needle, ignoring case, in every column
// of every table of the database, and returns where it found one and how
// many columns it searched.
func searchEveryColumn(t *testing.T, e *env, needles ...string) ([]string, int) {
	t.Helper()
	var cols []struct{ TableName, ColumnName string }
	q := `SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' ORDER BY m.name, p.cid`
	if e.store.Dialect() == models.Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()
ORDER BY table_name, ordinal_position`
	}
	if err := e.store.DB().Raw(q).Scan(&cols).Error; err != nil {
		t.Fatal(err)
	}
	var hits []string
	for _, col := range cols {
		for _, needle := range needles {
			var n int64
			err := e.store.DB().Raw(fmt.Sprintf(`SELECT COUNT(*) FROM %q WHERE lower(CAST(%q AS TEXT)) LIKE ?`, col.TableName, col.ColumnName),
				"%"+strings.ToLower(needle)+"%").Scan(&n).Error
			if err != nil {
				t.Fatalf("search %s.%s: %v", col.TableName, col.ColumnName, err)
			}
			if n > 0 {
				hits = append(hits, fmt.Sprintf("%s.%s holds %q in %d rows", col.TableName, col.ColumnName, needle, n))
			}
		}
	}
	return hits, len(cols)
}
