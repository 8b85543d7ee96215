package routes_test

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// zeros is a body that compresses well.
func zeros(n int) []byte { return bytes.Repeat([]byte{'0'}, n) }

// compress applies each encoding in turn (the order of a Content-Encoding
// header).
func compress(t *testing.T, data []byte, encodings ...string) []byte {
	t.Helper()
	for _, enc := range encodings {
		var buf bytes.Buffer
		var w io.WriteCloser
		switch enc {
		case "gzip":
			w, _ = gzip.NewWriterLevel(&buf, gzip.BestCompression)
		case "deflate":
			w, _ = flate.NewWriter(&buf, flate.BestCompression)
		case "br":
			w = brotli.NewWriterLevel(&buf, brotli.BestCompression)
		default:
			t.Fatalf("unknown encoding %q", enc)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		data = buf.Bytes()
	}
	return data
}

// allocatedDuring reports the bytes the process allocated while f ran.
func allocatedDuring(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func TestCompressedBodiesAreRefused(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.signup("Bomb Thrower", "bombs@example.org", "s3cret-passphrase")
	const expanded = 64 << 20
	multipart := append([]byte("--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\n"), zeros(expanded)...)
	multipart = append(multipart, "\r\n--b--\r\n"...)
	cases := []struct {
		name, method, path, contentType string
	}{
		{"form", http.MethodPost, "/login", "application/x-www-form-urlencoded"},
		{"multipart", http.MethodPost, "/login", "multipart/form-data; boundary=b"},
		{"JSON sign-in", http.MethodPost, "/api/v1/sessions", "application/json"},
		{"JSON progress", http.MethodPut, "/api/v1/me/readings/afghanistan-peace-summits/progress", "application/json"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			body := compress(t, zeros(expanded), "gzip")
			if strings.HasPrefix(tc.contentType, "multipart/") {
				body = compress(t, multipart, "gzip")
			}
			var res response
			grew := allocatedDuring(func() {
				req := httptest.NewRequest(tc.method, tc.path, bytes.NewReader(body))
				req.Header.Set("Content-Type", tc.contentType)
				req.Header.Set("Content-Encoding", "gzip")
				req.Header.Set("X-CSRF-Token", c.csrf())
				res = c.do(req)
			})
			if res.Status != http.StatusUnsupportedMediaType {
				t.Errorf("gzip bomb = %d, want 415: %s", res.Status, res.Body)
			}
			if grew > 8<<20 {
				t.Errorf("the request allocated %d MB for a %d-byte body", grew>>20, len(body))
			}
		})
	}

	for _, encoding := range []string{"gzip, gzip", "deflate", "br", "identity, gzip", "x-unknown"} {
		t.Run("encoding "+encoding, func(t *testing.T) {
			var chain []string
			for _, enc := range strings.Split(encoding, ", ") {
				if enc == "gzip" || enc == "deflate" || enc == "br" {
					chain = append(chain, enc)
				}
			}
			// A Content-Encoding lists codings in the order they were
			// applied, so compress in that order.
			body := []byte(`{"email":"bombs@example.org","password":"s3cret-passphrase"}`)
			if len(chain) > 0 {
				body = compress(t, zeros(1<<20), chain...)
			}
			req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Content-Encoding", encoding)
			res := e.client().do(req)
			if res.Status != http.StatusUnsupportedMediaType || res.errorCode(t) != "unsupported_media_type" {
				t.Errorf("Content-Encoding %q = %d %s, want 415", encoding, res.Status, res.Body)
			}
		})
	}

	t.Run("identity", func(t *testing.T) {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/sessions",
			strings.NewReader(`{"email":"bombs@example.org","password":"s3cret-passphrase"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Content-Encoding", "identity")
		if res := e.client().do(req); res.Status != http.StatusCreated {
			t.Errorf("Content-Encoding identity = %d %s, want 201", res.Status, res.Body)
		}
	})
}

// A second Content-Encoding header must not slip past the check of the first.
func TestSecondContentEncodingHeaderIsRefused(t *testing.T) {
	e := newEnv(t)
	base := e.serve()
	body := compress(t, zeros(64<<20), "gzip")
	status := rawRequest(t, base, fmt.Sprintf("POST /api/v1/sessions HTTP/1.1\r\nHost: portal.test\r\n"+
		"Content-Type: application/json\r\nContent-Encoding: identity\r\nContent-Encoding: gzip\r\n"+
		"Content-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), body))
	if status != http.StatusUnsupportedMediaType {
		t.Fatalf("two Content-Encoding headers = %d, want 415", status)
	}
}

func TestMultipartFormsAreRefused(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	body := "--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + c.csrf() +
		"\r\n--b\r\nContent-Disposition: form-data; name=\"email\"\r\n\r\nx@example.org\r\n" +
		"--b\r\nContent-Disposition: form-data; name=\"password\"\r\n\r\nwhatever-it-is\r\n--b--\r\n"
	for _, path := range []string{"/login", "/signup", "/logout"} {
		req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "multipart/form-data; boundary=b")
		if res := c.do(req); res.Status != http.StatusUnsupportedMediaType {
			t.Errorf("multipart POST %s = %d, want 415", path, res.Status)
		}
	}
}

func TestDuplicateContentLengthIsRefused(t *testing.T) {
	e := newEnv(t)
	base := e.serve()
	body := `{"email":"a@example.org","password":"s3cret-passphrase"}`
	differing := fmt.Sprintf("POST /api/v1/sessions HTTP/1.1\r\nHost: portal.test\r\nContent-Type: application/json\r\n"+
		"Content-Length: 5\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	if status := rawRequest(t, base, differing); status != http.StatusBadRequest {
		t.Errorf("two differing Content-Length headers = %d, want 400", status)
	}
	same := fmt.Sprintf("POST /api/v1/sessions HTTP/1.1\r\nHost: portal.test\r\nContent-Type: application/json\r\n"+
		"Content-Length: %d\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s", len(body), len(body), body)
	if status := rawRequest(t, base, same); status != http.StatusUnauthorized {
		t.Errorf("two equal Content-Length headers = %d, want the handler's 401", status)
	}
}

// rawRequest writes raw bytes to the server over TCP, which app.Test would
// normalise, and returns the status of the first response.
func rawRequest(t *testing.T, base, raw string) int {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := conn.Close(); err != nil {
			t.Error(err)
		}
	}()
	if _, err := io.WriteString(conn, raw); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}
