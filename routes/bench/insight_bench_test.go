//go:build unix

package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"syscall"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
	"courseportal/routes"
	"courseportal/views"
)

// insightClass is the class the insight scenarios are measured against.
const insightClass = 10000

// BenchmarkInsightPages serves the reading and cohort insight pages of the
// benchmark's seed (a class of 10,000, with its check's first attempts) to
// its instructor through the application, as the insight scenarios do
// over HTTP: the statements, the charts and the template. With
// -cpuprofile it shows where a view's time goes without a load generator
// sharing the cores; cpu-ms/op is the portal's side of a view (PostgreSQL's
// backends are other processes; SQLite runs inside); queries/op its round
// trips to the database.
func BenchmarkInsightPages(b *testing.B) {
	ctx := context.Background()
	db, dialect := testdb.OpenDB(b, testdb.URL(b))
	sqlDB, err := db.DB()
	if err != nil {
		b.Fatal(err)
	}
	data, err := seedData(ctx, sqlDB, dialect, insightClass)
	if err != nil {
		b.Fatal(err)
	}
	counter := &models.QueryCounter{}
	if err := db.Use(counter); err != nil {
		b.Fatal(err)
	}
	store := models.NewStore(db, dialect, models.SystemClock{})
	renderer, err := views.New()
	if err != nil {
		b.Fatal(err)
	}
	signer, err := routes.NewSigner(ctx, store, "http://portal.test")
	if err != nil {
		b.Fatal(err)
	}
	app := routes.New(routes.Options{Store: store, Views: renderer, Log: testdb.Quiet, BaseURL: "http://portal.test", Signer: signer})
	for _, page := range []struct{ name, path string }{
		{"reading", fmt.Sprintf("/admin/courses/%s/readings/%s/insight?cohort=%d", data.CourseSlug, data.ReadingSlug, data.CohortID)},
		{"cohort", fmt.Sprintf("/admin/courses/%s/cohorts/%d/insight", data.CourseSlug, data.CohortID)},
	} {
		b.Run(page.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu, queries := processCPU(b), counter.Count()
			for b.Loop() {
				req, _ := http.NewRequest(http.MethodGet, page.path, nil)
				req.Header.Set("Cookie", "session="+data.InstructorToken)
				res, err := app.Test(req, -1)
				if err != nil || res.StatusCode != http.StatusOK {
					b.Fatalf("%s: %v %v", page.path, res, err)
				}
				n, err := io.Copy(io.Discard, res.Body)
				if err != nil {
					b.Fatal(err)
				}
				_ = res.Body.Close()
				b.SetBytes(n)
			}
			b.ReportMetric(float64(processCPU(b)-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
			b.ReportMetric(float64(counter.Count()-queries)/float64(b.N), "queries/op")
		})
	}
}

// processCPU is the CPU time, user and system, the test process has used:
// on a machine shared with other work it varies less than the wall clock.
func processCPU(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
