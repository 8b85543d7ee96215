package routes_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// csrfValues are the page's masked CSRF tokens, different in every response.
var csrfValues = regexp.MustCompile(`(name="csrf-token" content|name="_csrf" value)="[^"]+"`)

// The reader page asked for with gzip is one valid gzip stream (its CRC and
// length check out) holding the same page as the plain answer, before and
// after the reading's text changes.
func TestReaderPageGzipIsThePlainPage(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Gzip Reader")
	c.get(readerPath) // the first view notes the opening
	compare := func(want string) {
		t.Helper()
		plain := c.get(readerPath)
		if plain.Status != http.StatusOK || plain.Header.Get("Content-Encoding") != "" {
			t.Fatalf("plain reader = %d, encoding %q", plain.Status, plain.Header.Get("Content-Encoding"))
		}
		req := httptest.NewRequest(http.MethodGet, readerPath, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		zipped := c.do(req)
		if zipped.Status != http.StatusOK || zipped.Header.Get("Content-Encoding") != "gzip" ||
			!strings.Contains(zipped.Header.Get("Vary"), "Accept-Encoding") {
			t.Fatalf("gzip reader = %d, encoding %q, vary %q", zipped.Status, zipped.Header.Get("Content-Encoding"),
				zipped.Header.Get("Vary"))
		}
		zr, err := gzip.NewReader(strings.NewReader(zipped.Body))
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(zr) // checks the CRC-32 and length at the end
		if err != nil {
			t.Fatalf("the gzip stream does not check out: %v", err)
		}
		got, wantPage := csrfValues.ReplaceAllString(string(body), "$1=\"\""), csrfValues.ReplaceAllString(plain.Body, "$1=\"\"")
		if got != wantPage {
			t.Fatalf("gzip and plain pages differ:\n%s\n----\n%s", got, wantPage)
		}
		mustContain(t, got, want, `id="reading"`, `id="reader-actions"`, "</html>")
	}
	compare("</h1>")
	long := strings.Repeat("\n\nAnother paragraph, added by an edit: "+strings.Repeat("more words here ", 20), 300)
	if err := e.store.DB().Exec("UPDATE readings SET body_markdown = body_markdown || ?, version = version + 1 WHERE slug = ?",
		long, readingSlug).Error; err != nil {
		t.Fatal(err)
	}
	compare("Another paragraph, added by an edit")
}

// The reader page reads Accept-Encoding as static files do (RFC 9110): a
// coding with q=0 is refused, and the page goes as it is, not compressed by
// anything else on the way; any other q-value, a name in capitals or a
// list without spaces accepts it.
func TestReaderPageHonoursQValues(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Quality Reader")
	c.get(readerPath) // the first view notes the opening
	for _, tc := range []struct{ accept, want string }{
		{"gzip;q=0", ""},
		{"gzip; q=0, deflate, br", ""},
		{"identity;q=1, gzip;q=0.5", ""},
		{"*;q=0", ""},
		{"br", ""},
		{"*;q=0.5", "gzip"},
		{"gzip;q=0.8", "gzip"},
		{"GZIP;q=0.8", "gzip"},
		{"deflate,gzip", "gzip"},
		{"gzip, identity;q=0", "gzip"},
		{"gzip, deflate, br, zstd", "gzip"},
	} {
		req := httptest.NewRequest(http.MethodGet, readerPath, nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		res := c.do(req)
		if res.Status != http.StatusOK || res.Header.Get("Content-Encoding") != tc.want ||
			!strings.Contains(res.Header.Get("Vary"), "Accept-Encoding") {
			t.Errorf("Accept-Encoding %q: %d, encoding %q, vary %q; want 200, encoding %q", tc.accept, res.Status,
				res.Header.Get("Content-Encoding"), res.Header.Get("Vary"), tc.want)
			continue
		}
		if tc.want == "" {
			mustContain(t, res.Body, `id="reading"`, "</html>")
		}
	}
}

// Every other page is compressed by the compress middleware, in the coding
// the request prefers by q-value, and not at all when it refuses them.
func TestPagesHonourQValues(t *testing.T) {
	e := newEnv(t)
	c := joinSeeded(t, e, "Quality Dashboard")
	for _, tc := range []struct{ accept, want string }{
		{"gzip;q=0", ""},
		{"gzip; q=0, deflate;q=0, br;q=0", ""},
		{"identity;q=1, gzip;q=0.5", ""},
		{"*;q=0", ""},
		{"GZIP;q=0.8", "gzip"},
		{"br;q=0.1, gzip", "gzip"},
		{"gzip, deflate, br", "br"},
		{"deflate", "deflate"},
	} {
		req := httptest.NewRequest(http.MethodGet, "/dashboard", nil)
		req.Header.Set("Accept-Encoding", tc.accept)
		res := c.do(req)
		if res.Status != http.StatusOK || res.Header.Get("Content-Encoding") != tc.want {
			t.Errorf("Accept-Encoding %q: %d, encoding %q; want 200, encoding %q", tc.accept, res.Status,
				res.Header.Get("Content-Encoding"), tc.want)
			continue
		}
		if tc.want == "" {
			mustContain(t, res.Body, "</html>")
		}
	}
}
