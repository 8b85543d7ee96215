package routes_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/valyala/fasthttp"
)

// BenchmarkReaderHandler serves the reader page straight through the
// application's handler, without a network, as a browser asks (gzip) and
// plain, for the seeded article and for one sixteen times as long: its
// allocations per view must not grow with the article.
func BenchmarkReaderHandler(b *testing.B) {
	e, c, counter := benchEnv(b)
	handler := e.app.Handler()
	cookie := "session=" + c.cookies["session"] + "; csrf=" + c.cookies["csrf"]
	c.get(readerPath) // the first view notes the opening
	serve := func(b *testing.B, encoding string) {
		var ctx fasthttp.RequestCtx
		ctx.Request.SetRequestURI(readerPath)
		ctx.Request.Header.Set("Cookie", cookie)
		handler(&ctx) // a new version of the article renders once, before the measure
		before := counter.Count()
		b.ReportAllocs()
		for b.Loop() {
			ctx.Request.Reset()
			ctx.Response.Reset()
			ctx.Request.SetRequestURI(readerPath)
			ctx.Request.Header.SetMethod(http.MethodGet)
			ctx.Request.Header.Set("Cookie", cookie)
			ctx.Request.Header.Set("Accept", "text/html")
			if encoding != "" {
				ctx.Request.Header.Set("Accept-Encoding", encoding)
			}
			handler(&ctx)
			if ctx.Response.StatusCode() != http.StatusOK {
				b.Fatalf("reader = %d", ctx.Response.StatusCode())
			}
		}
		b.ReportMetric(float64(len(ctx.Response.Body())), "bytes/op")
		b.ReportMetric(float64(counter.Count()-before)/float64(b.N), "queries/op")
	}
	b.Run("gzip", func(b *testing.B) { serve(b, "gzip") })
	b.Run("plain", func(b *testing.B) { serve(b, "") })
	long := strings.Repeat("\n\nA further paragraph of the same reading, long enough to count: "+
		strings.Repeat("words in a sentence ", 12), 400)
	if err := e.store.DB().Exec("UPDATE readings SET body_markdown = body_markdown || ?, version = version + 1 WHERE slug = ?",
		long, readingSlug).Error; err != nil {
		b.Fatal(err)
	}
	b.Run("gzip-long", func(b *testing.B) { serve(b, "gzip") })
	b.Run("plain-long", func(b *testing.B) { serve(b, "") })
}
