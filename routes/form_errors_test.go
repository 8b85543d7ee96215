package routes_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"

	"golang.org/x/net/html"
)

// formPage is a page's error summary and fields, read from its HTML.
type formPage struct {
	ids map[string]bool
	// summary is the error summary's items, and the input each links to
	// ("" for a message about the whole form).
	summary      []summaryItem
	summaryFound bool
	inputs       map[string]*html.Node
}

type summaryItem struct{ input, text string }

func parseFormPage(t *testing.T, body string) *formPage {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	p := &formPage{ids: map[string]bool{}, inputs: map[string]*html.Node{}}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		id := attr(n, "id")
		if id != "" {
			if p.ids[id] {
				t.Errorf("id %q appears twice", id)
			}
			p.ids[id] = true
		}
		if (n.Data == "input" || n.Data == "textarea") && id != "" {
			p.inputs[id] = n
		}
		if id == "error-summary" {
			p.readSummary(t, n)
		}
	}
	return p
}

func (p *formPage) readSummary(t *testing.T, box *html.Node) {
	t.Helper()
	p.summaryFound = true
	if attr(box, "role") != "alert" || attr(box, "tabindex") != "-1" {
		t.Errorf("error summary has role %q, tabindex %q; want alert, -1", attr(box, "role"), attr(box, "tabindex"))
	}
	heading := false
	for n := range box.Descendants() {
		switch {
		case n.Type == html.ElementNode && n.Data == "h2":
			heading = attr(box, "aria-labelledby") == attr(n, "id") && textOf(n) != ""
		case n.Type == html.ElementNode && n.Data == "li":
			item := summaryItem{text: textOf(n)}
			for a := range n.Descendants() {
				if a.Type == html.ElementNode && a.Data == "a" {
					item.input = strings.TrimPrefix(attr(a, "href"), "#")
				}
			}
			p.summary = append(p.summary, item)
		}
	}
	if !heading {
		t.Error("error summary has no heading that names it")
	}
}

// checkInvalid asserts that exactly the fields named are marked invalid, in
// that order in the summary, each described by its message (and its hint
// when it has one), every id they point at present in the page.
func (p *formPage) checkInvalid(t *testing.T, fields ...string) {
	t.Helper()
	if !p.summaryFound {
		t.Fatal("no error summary")
	}
	var linked []string
	for _, item := range p.summary {
		if item.input != "" {
			linked = append(linked, item.input)
		}
	}
	if !slices.Equal(linked, fields) {
		t.Errorf("the summary links to %v, want %v (%v)", linked, fields, p.summary)
	}
	for id, in := range p.inputs {
		invalid := attr(in, "aria-invalid") == "true"
		if want := slices.Contains(fields, id); invalid != want {
			t.Errorf("#%s aria-invalid = %v, want %v", id, invalid, want)
		}
		described := describedBy(in)
		for _, ref := range described {
			if !p.ids[ref] {
				t.Errorf("#%s is described by #%s, which is not in the page", id, ref)
			}
		}
		if invalid && !slices.Contains(described, id+"-error") {
			t.Errorf("#%s is not described by its message (%v)", id, described)
		}
		if p.ids[id+"-hint"] && !slices.Contains(described, id+"-hint") {
			t.Errorf("#%s is not described by its hint (%v)", id, described)
		}
	}
}

// describedBy lists what describes an input: its own aria-describedby and
// that of the fieldset around it (a question's options share one message).
func describedBy(in *html.Node) []string {
	refs := strings.Fields(attr(in, "aria-describedby"))
	for n := in.Parent; n != nil; n = n.Parent {
		if n.Type == html.ElementNode && n.Data == "fieldset" {
			refs = append(refs, strings.Fields(attr(n, "aria-describedby"))...)
		}
	}
	return refs
}

func attr(n *html.Node, name string) string {
	for _, a := range n.Attr {
		if a.Key == name {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	for d := range n.Descendants() {
		if d.Type == html.TextNode {
			b.WriteString(d.Data)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestEmptyJoinFormReportsEveryField(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	res := c.postForm("/join/"+courseSlug, url.Values{"full_name": {""}, "email": {""}, "password": {""}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty join form = %d, want 422", res.Status)
	}
	p := parseFormPage(t, res.Body)
	p.checkInvalid(t, "full_name", "email", "password")
	mustContain(t, res.Body, "There are 3 problems", "Please enter your full name.", "Please enter your email address.",
		"Please choose a password.")
	if n := strings.Count(res.Body, `role="alert"`); n != 1 {
		t.Errorf("%d alerts on the page, want the summary alone", n)
	}
}

func TestJoinFormKeepsValuesButNotThePassword(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	res := c.postForm("/join/"+courseSlug, url.Values{"full_name": {"Mina Rahimi"}, "email": {"mina@"},
		"password": {"short"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("join = %d, want 422", res.Status)
	}
	p := parseFormPage(t, res.Body)
	p.checkInvalid(t, "email", "password")
	if got := attr(p.inputs["full_name"], "value"); got != "Mina Rahimi" {
		t.Errorf("name shown again as %q", got)
	}
	if got := attr(p.inputs["email"], "value"); got != "mina@" {
		t.Errorf("email shown again as %q", got)
	}
	if strings.Contains(res.Body, "short") {
		t.Error("the password is echoed into the page")
	}
}

func TestPasswordHintIsLinkedBeforeAnyError(t *testing.T) {
	e := newEnv(t)
	for _, path := range []string{"/join/" + courseSlug, "/signup"} {
		res := e.client().get(path)
		if res.Status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.Status)
		}
		p := parseFormPage(t, res.Body)
		if p.summaryFound {
			t.Errorf("%s shows an error summary before anything was sent", path)
		}
		in := p.inputs["password"]
		if in == nil || attr(in, "aria-describedby") != "password-hint" || attr(in, "aria-invalid") != "" {
			t.Errorf("%s: password input %v, want described by its hint only", path, in)
		}
	}
}

func TestSignupAndLoginReportEveryField(t *testing.T) {
	e := newEnv(t)
	res := e.client().signup("", "not an address", "")
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty sign-up = %d, want 422", res.Status)
	}
	parseFormPage(t, res.Body).checkInvalid(t, "full_name", "email", "password")

	res = e.client().postForm("/login", url.Values{"email": {""}, "password": {""}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("empty login = %d, want 422", res.Status)
	}
	parseFormPage(t, res.Body).checkInvalid(t, "email", "password")
	mustContain(t, res.Body, "Enter your email address.", "Enter your password.")

	// A wrong password is about the whole form: summarised, no field blamed.
	u := testdb.User(t, e.store, models.RoleStudent)
	res = e.client().postForm("/login", url.Values{"email": {u.Email}, "password": {"wrong passphrase"}})
	if res.Status != http.StatusUnauthorized {
		t.Fatalf("wrong password = %d, want 401", res.Status)
	}
	p := parseFormPage(t, res.Body)
	p.checkInvalid(t)
	if len(p.summary) != 1 || p.summary[0].text != "Email or password is incorrect." {
		t.Errorf("summary = %v", p.summary)
	}
	if got := attr(p.inputs["email"], "value"); got != u.Email {
		t.Errorf("email shown again as %q", got)
	}
}

func TestAccountFormsReportEveryField(t *testing.T) {
	e := newEnv(t)
	u := testdb.User(t, e.store, models.RoleStudent)
	c := e.login(u)

	res := c.postForm("/account/password", url.Values{"current_password": {"not it at all"}, "password": {"short"}})
	if res.Status != http.StatusUnauthorized {
		t.Fatalf("wrong current and short new password = %d, want 401", res.Status)
	}
	p := parseFormPage(t, res.Body)
	p.checkInvalid(t, "current_password", "password")
	mustContain(t, res.Body, "That password is not right.", "at least 8 characters long")

	res = c.postForm("/account/email", url.Values{"email": {u.Email}, "current_password": {""}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("same address, no password = %d, want 422", res.Status)
	}
	p = parseFormPage(t, res.Body)
	p.checkInvalid(t, "new_email", "email_current_password")
	mustContain(t, res.Body, "This is already your email address.", "Enter your password.")

	res = c.postForm("/account/profile", url.Values{"full_name": {"  "}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("blank name = %d, want 422", res.Status)
	}
	parseFormPage(t, res.Body).checkInvalid(t, "full_name")

	// A form that was right changes nothing on the page's other forms.
	if res := c.get("/account"); parseFormPage(t, res.Body).summaryFound {
		t.Error("the account page shows an error summary on a plain visit")
	}
}

func TestPasswordResetAndForgotFormsAreDescribed(t *testing.T) {
	e := newEnv(t)
	res := e.client().postForm("/password/forgot", url.Values{"email": {"nobody"}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("forgot with a bad address = %d, want 422", res.Status)
	}
	parseFormPage(t, res.Body).checkInvalid(t, "email")

	res = e.client().get("/verify?code=nonsense")
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("verify with a bad code = %d, want 422", res.Status)
	}
	parseFormPage(t, res.Body).checkInvalid(t, "code")
}

func TestNameCorrectionReportsEveryField(t *testing.T) {
	e := newEnv(t)
	holder, code := completeSeeded(t, e, "Farid Azimi")
	res := holder.postForm("/certificates/"+code+"/name-correction", url.Values{"full_name": {"Farid Azimi"}, "reason": {" "}})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("same name, no reason = %d, want 422", res.Status)
	}
	parseFormPage(t, res.Body).checkInvalid(t, "full_name", "reason")
	mustContain(t, res.Body, "This is the name the certificate already shows.", "Please say why the name should change")
}

func TestKnowledgeCheckReportsEveryUnansweredQuestion(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Quick Answerer")
	check := seededCheck(t, e)
	if len(check.Questions) < 3 {
		t.Fatalf("the seeded check has %d questions", len(check.Questions))
	}
	first := check.Questions[0]
	answers := url.Values{"q-" + first.IDString(): {strconv.FormatInt(first.Options[0].ID, 10)}}
	res := c.postForm(seededCheckPath, answers)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("a check with one answer = %d, want 422", res.Status)
	}
	var want []string
	for _, q := range check.Questions[1:] {
		want = append(want, "q-"+q.IDString())
	}
	p := parseFormPage(t, res.Body)
	p.checkInvalid(t, want...)
	mustContain(t, res.Body, fmt.Sprintf("There are %d problems", len(want)), "question 2 has no answer",
		fmt.Sprintf("question %d has no answer", len(check.Questions)))
	if in := p.inputs["q-"+first.IDString()]; in == nil || !slices.ContainsFunc(in.Attr, func(a html.Attribute) bool { return a.Key == "checked" }) {
		t.Error("the answer given is not kept")
	}
}

func TestSecondFactorFormsDescribeTheirFields(t *testing.T) {
	e := newEnv(t)
	u := testdb.User(t, e.store, models.RoleStudent)
	testdb.EnableMFA(t, e.store, u)
	c := e.client()
	if res := c.postForm("/login", url.Values{"email": {u.Email}, "password": {testdb.Password}}); res.Header.Get("Location") != "/login/mfa" {
		t.Fatalf("login = %d → %q", res.Status, res.Header.Get("Location"))
	}
	res := c.get("/login/mfa")
	p := parseFormPage(t, res.Body)
	if p.summaryFound || attr(p.inputs["code"], "aria-describedby") != "code-hint" {
		t.Errorf("before a code: summary %v, code described by %q", p.summaryFound, attr(p.inputs["code"], "aria-describedby"))
	}
	res = c.postForm("/login/mfa", url.Values{"code": {"000000"}})
	if res.Status != http.StatusUnauthorized {
		t.Fatalf("a wrong code = %d, want 401", res.Status)
	}
	parseFormPage(t, res.Body).checkInvalid(t, "code")
	res = c.postForm("/login/mfa", url.Values{"recovery_code": {"NOPE-NOPE-NOPE-NOPE"}})
	if res.Status != http.StatusUnauthorized {
		t.Fatalf("a wrong recovery code = %d, want 401", res.Status)
	}
	parseFormPage(t, res.Body).checkInvalid(t, "recovery_code")
}
