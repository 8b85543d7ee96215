package routes_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"courseportal/models"
)

// benchEnv is an app with one enrolled student and a query counter.
func benchEnv(b *testing.B) (*env, *client, *models.QueryCounter) {
	b.Helper()
	e := newEnv(b)
	counter := &models.QueryCounter{}
	if err := e.store.DB().Use(counter); err != nil {
		b.Fatal(err)
	}
	c := joinSeeded(b, e, "Bench Student")
	return e, c, counter
}

func BenchmarkReaderPage(b *testing.B) {
	_, c, counter := benchEnv(b)
	path := "/learn/" + courseSlug + "/readings/" + readingSlug
	c.get(path) // warm the rendered-article cache
	before := counter.Count()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if res := c.get(path); res.Status != http.StatusOK {
			b.Fatalf("reader = %d", res.Status)
		}
	}
	b.ReportMetric(float64(counter.Count()-before)/float64(b.N), "queries/op")
}

func BenchmarkProgressUpdate(b *testing.B) {
	e, c, counter := benchEnv(b)
	token := c.csrf()
	before := counter.Count()
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		body := fmt.Sprintf(`{"course":%q,"percent":%d,"position":"p-%d","seconds":5}`, courseSlug, i%90, 1+i%8)
		req := httptest.NewRequest(http.MethodPut, progressURL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-CSRF-Token", token)
		if res := c.do(req); res.Status != http.StatusOK {
			b.Fatalf("progress = %d %s", res.Status, res.Body)
		}
	}
	b.ReportMetric(float64(counter.Count()-before)/float64(b.N), "queries/op")
	var p models.ReadingProgress
	if err := e.store.DB().Take(&p).Error; err != nil || p.Percent != 89 {
		b.Fatalf("stored percent = %d (%v), want the maximum sent, 89", p.Percent, err)
	}
}
