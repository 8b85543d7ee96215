package routes

import (
	"bytes"
	"compress/gzip"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/views"
	"courseportal/views/i18n"
)

// awkward are texts that need escaping, read right to left, or are not
// UTF-8 at all.
var awkward = []string{"", "plain-token_42", `<script>alert("x")</script>`, `Tom & Jerry's "best" a+b`,
	"مریم احمدی", "\x00nul", "\xff\xfebroken", "javascript:alert(1)", "/learn/a?b=c&d=<e>"}

// readerVariation is one view's page and data, drawn at random over every
// branch of the personal parts.
func readerVariation(r *rand.Rand) (*page, readerData) {
	pick := func() string { return awkward[r.IntN(len(awkward))] }
	minutes := r.IntN(30)
	course := &models.Course{Slug: pick(), Title: pick()}
	reading := &models.Reading{Slug: pick(), Title: pick(), ParagraphCount: r.IntN(200), WordCount: r.IntN(9000)}
	if r.IntN(2) == 0 {
		reading.MinMinutes = &minutes
	}
	a := &models.Access{Course: course, Reading: reading}
	if r.IntN(2) == 0 {
		a.CheckID = 7
	}
	if r.IntN(2) == 0 {
		a.CertificateCode = []string{"7KQ2M-9XDT4-RAB3C", "abc-123"}[r.IntN(2)]
	}
	d := readerData{Access: a, Done: r.IntN(2) == 0, Neighbours: models.Neighbours{NextOpen: r.IntN(2) == 0},
		Text: models.TextDirection{Lang: []string{"", "fa-AF", "en"}[r.IntN(3)], Dir: []string{"ltr", "rtl"}[r.IntN(2)]}}
	if r.IntN(2) == 0 {
		d.Prev = &models.SyllabusEntry{Slug: pick(), Title: pick()}
	}
	if r.IntN(2) == 0 {
		d.Next = &models.SyllabusEntry{Slug: pick(), Title: pick()}
	}
	p := &page{Title: reading.Title, Scripts: readerScripts, Narrow: r.IntN(4) == 0}
	if r.IntN(8) != 0 {
		p.User = &models.User{Role: []string{models.RoleStudent, models.RoleInstructor, models.RoleAdmin}[r.IntN(3)]}
		p.OfflineKey, p.OfflineSession = "0123456789abcdef", "00112233445566778899aabb"
	}
	if r.IntN(3) == 0 {
		p.Flash = &flash{Kind: []string{"success", "info", `x"y`}[r.IntN(3)], Message: pick()}
	}
	if r.IntN(2) == 0 {
		p.Contact = models.Contact{Provider: pick(), Email: "team+" + pick() + "@example.org", URL: "https://example.org/" + pick(),
			Phone: "(+91) 120 4565994"}
	}
	return p, d
}

// reView gives a view of the same shape its own values: the token, the
// address, the percent, the position and when "Mark as complete" opens.
func reView(r *rand.Rand, p *page, d readerData) (*page, readerData) {
	pick := func() string { return awkward[r.IntN(len(awkward))] }
	v := *p
	v.CSRF, v.Here = pick(), pick()
	if v.OfflineKey != "" {
		v.OfflineKey, v.OfflineSession = pick(), pick()
	}
	d.Percent = []int{0, 1, 42, 100, -3, 1234}[r.IntN(6)]
	d.Position = pick()
	d.CompletableAt = time.Time{}
	if r.IntN(2) == 0 {
		zones := []*time.Location{time.UTC, time.FixedZone("", 16200), time.FixedZone("<AF&T>", -3600)}
		d.CompletableAt = time.Date(2026, 3, 1, r.IntN(24), r.IntN(60), 0, 0, zones[r.IntN(len(zones))])
	}
	if d.Access.CertificateCode != "" {
		a := *d.Access
		a.CertificateCode = []string{"7KQ2M-9XDT4-RAB3C", "ZZZZZ-00000-AAAAA"}[r.IntN(2)]
		d.Access = &a
	}
	v.Data = d
	return &v, d
}

// The personal parts written from a shape's pieces are the templates' bytes,
// plain and gzip, in every language and on every branch, whatever the
// values hold; a certificate code that a URL would escape goes to the
// templates.
func TestReaderPiecesAreTheTemplatesBytes(t *testing.T) {
	langs, err := i18n.WithPseudo()
	if err != nil {
		t.Fatal(err)
	}
	pseudo, _ := langs.Lookup(i18n.Pseudo)
	locs := append(langs.Languages(), pseudo)
	renderer, err := views.NewIn(langs)
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	pieces := 0
	for _, loc := range locs {
		art := testArticle(t)
		for range 120 {
			shapeP, shapeD := readerVariation(r)
			for range 3 {
				p, d := reView(r, shapeP, shapeD)
				viaTemplates := personalWriter{views: renderer, loc: loc, page: p}
				viaPieces := viaTemplates
				key, values, ok := shapeOf(p, &d)
				if !ok {
					t.Fatalf("no shape for %+v", d)
				}
				if viaPieces.shape, err = art.shapes.lookup(renderer, loc, key, p, &d); err != nil {
					t.Fatal(err)
				}
				if viaPieces.shape == nil {
					t.Fatalf("%s: the templates write a shape of the reader: %+v", loc.Code(), key)
				}
				viaPieces.values = values
				pieces++
				comparePersonal(t, loc.Code(), viaTemplates, viaPieces, art)
			}
		}
	}
	if want := 120 * 3 * len(locs); pieces != want || len(locs) < 3 {
		t.Fatalf("%d views in %d languages through pieces, want %d", pieces, len(locs), want)
	}
	// A code with characters a URL escapes has no shape: the templates write it.
	p, d := readerVariation(r)
	d.Access.CertificateCode = "a b<c"
	if _, _, ok := shapeOf(p, &d); ok {
		t.Fatal("a certificate code that a URL escapes was given a shape")
	}
}

// testArticle is an article's parts, plain and compressed.
func testArticle(t *testing.T) *renderedArticle {
	t.Helper()
	art := &renderedArticle{top: []byte("<nav>top</nav>\n"), body: []byte("<p>The article, once.</p>\n</article>\n")}
	var err error
	if art.gzTop, err = deflatePart(art.top); err != nil {
		t.Fatal(err)
	}
	if art.gzBody, err = deflatePart(art.body); err != nil {
		t.Fatal(err)
	}
	return art
}

// comparePersonal writes a page both ways, plain and gzip, and compares.
func comparePersonal(t *testing.T, lang string, want, got personalWriter, art *renderedArticle) {
	t.Helper()
	var plainWant, plainGot, gzWant, gzGot bytes.Buffer
	if err := writeReaderPlain(&plainWant, want, art); err != nil {
		t.Fatal(err)
	}
	if err := writeReaderPlain(&plainGot, got, art); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(plainWant.Bytes(), plainGot.Bytes()) {
		t.Fatalf("%s: pieces differ from the templates:\n%s\n----\n%s", lang, plainGot.Bytes(), plainWant.Bytes())
	}
	if err := writeReaderGzip(&gzWant, want, art); err != nil {
		t.Fatal(err)
	}
	if err := writeReaderGzip(&gzGot, got, art); err != nil {
		t.Fatal(err)
	}
	for _, zipped := range []*bytes.Buffer{&gzWant, &gzGot} {
		zr, err := gzip.NewReader(zipped)
		if err != nil {
			t.Fatal(err)
		}
		page, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: the gzip stream does not check out: %v", lang, err)
		}
		if !bytes.Equal(page, plainWant.Bytes()) {
			t.Fatalf("%s: the gzip page differs from the plain one:\n%s\n----\n%s", lang, page, plainWant.Bytes())
		}
	}
}
