package routes_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"

	"github.com/andybalholm/brotli"
)

// staticGet fetches a static file with an Accept-Encoding (none when empty)
// and an If-None-Match (none when empty), returning the raw response.
func staticGet(t *testing.T, e *env, path, acceptEncoding, ifNoneMatch string) (*http.Response, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://portal.test"+path, nil)
	req.Header.Del("Accept-Encoding")
	if acceptEncoding != "" {
		req.Header.Set("Accept-Encoding", acceptEncoding)
	}
	if ifNoneMatch != "" {
		req.Header.Set("If-None-Match", ifNoneMatch)
	}
	res, err := e.app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

func decodeBody(t *testing.T, coding string, body []byte) []byte {
	t.Helper()
	var r io.Reader = bytes.NewReader(body)
	switch coding {
	case "gzip":
		gz, err := gzip.NewReader(r)
		if err != nil {
			t.Fatalf("gzip body: %v", err)
		}
		r = gz
	case "br":
		r = brotli.NewReader(r)
	}
	out, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s body: %v", coding, err)
	}
	return out
}

// Static files go out in the precompressed coding the browser asks for,
// q-values respected, with Vary, an exact Content-Length and one ETag per
// coding; images go out as they are.
func TestStaticFilesNegotiateTheirEncoding(t *testing.T) {
	e := newEnv(t)
	home := e.client().get("/")
	css := regexp.MustCompile(`href="(/static/css/app\.[0-9a-f]+\.css)"`).FindStringSubmatch(home.Body)
	if css == nil {
		t.Fatal("the home page links no stylesheet")
	}
	_, source := staticGet(t, e, css[1], "", "")
	tags := map[string]string{}
	for _, tc := range []struct{ accept, want string }{
		{"", "identity"},
		{"gzip, deflate, br, zstd", "br"},
		{"gzip", "gzip"},
		{"br;q=0.5, gzip;q=0.9", "gzip"},
		{"br;q=0, gzip;q=0", "identity"},
		{"*", "br"},
		{"*;q=0.2, br;q=0", "gzip"},
		{"identity", "identity"},
		{"identity;q=1, gzip;q=0.4", "identity"},
		{"deflate", "identity"},
		{"gzip;q=abc, br;q=2", "identity"},
	} {
		res, body := staticGet(t, e, css[1], tc.accept, "")
		got := res.Header.Get("Content-Encoding")
		if got == "" {
			got = "identity"
		}
		if res.StatusCode != http.StatusOK || got != tc.want {
			t.Errorf("Accept-Encoding %q: %d %s, want 200 %s", tc.accept, res.StatusCode, got, tc.want)
			continue
		}
		if v := res.Header.Get("Vary"); v != "Accept-Encoding" {
			t.Errorf("Accept-Encoding %q: Vary %q", tc.accept, v)
		}
		if cl := res.Header.Get("Content-Length"); cl != strconv.Itoa(len(body)) {
			t.Errorf("Accept-Encoding %q: Content-Length %s for %d bytes", tc.accept, cl, len(body))
		}
		if !bytes.Equal(decodeBody(t, got, body), source) {
			t.Errorf("Accept-Encoding %q: the %s body is not the stylesheet", tc.accept, got)
		}
		if got != "identity" && len(body)*3 > len(source) {
			t.Errorf("the %s stylesheet is %d bytes of %d: not compressed", got, len(body), len(source))
		}
		etag := res.Header.Get("ETag")
		if prev, ok := tags[got]; ok && prev != etag {
			t.Errorf("%s: ETag %s, then %s", got, prev, etag)
		}
		tags[got] = etag
	}
	if len(tags) != 3 || tags["br"] == tags["gzip"] || tags["gzip"] == tags["identity"] {
		t.Errorf("ETags per coding %v, want three different ones", tags)
	}
	res, body := staticGet(t, e, css[1], "br", tags["br"])
	if res.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("If-None-Match with the brotli ETag: %d, %d bytes, want 304 and no body", res.StatusCode, len(body))
	}
	if res, _ := staticGet(t, e, css[1], "gzip", tags["br"]); res.StatusCode != http.StatusOK {
		t.Errorf("the brotli ETag for a gzip request: %d, want 200", res.StatusCode)
	}

	icon := regexp.MustCompile(`/static/icons/icon-192\.[0-9a-f]+\.png`).FindString(e.client().get("/sw.js").Body)
	res, body = staticGet(t, e, icon, "gzip, br", "")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Encoding") != "" || !bytes.HasPrefix(body, []byte("\x89PNG")) {
		t.Errorf("icon %s: %d, Content-Encoding %q; want the PNG as it is", icon, res.StatusCode, res.Header.Get("Content-Encoding"))
	}
}
