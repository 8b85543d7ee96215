package faults_test

import (
	"net/http"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// Times of the fault: a steady load before the kill, how long the server
// stays down, and the promises the portal keeps around it.
const (
	warmUp       = 2 * time.Second
	downFor      = 3 * time.Second
	maxAnswer    = 5 * time.Second  // no request hangs longer
	recoverAfter = 10 * time.Second // writes are accepted again within this of the restart
	students     = 20
	reportPause  = 40 * time.Millisecond
)

// TestPostgresKilledUnderLoad runs the portal on a PostgreSQL cluster of its
// own, kills the postmaster with SIGKILL while 20 students send progress
// reports, and restarts it a few seconds later. While it is down every
// answer is 503 with Retry-After (never 500) and the outage is logged once;
// no request hangs; writes are accepted again soon after the restart; and
// every report the portal acknowledged is in the database afterwards.
func TestPostgresKilledUnderLoad(t *testing.T) {
	pg := newCluster(t)
	pg.start()
	p := startPortal(t, pg.URL())
	course, _ := testdb.Course(t, p.store, 5, models.Cohort{Pacing: models.PacingSelfPaced})
	readers := enrollStudents(t, p.store, course, students)

	l := startLoad(readers, p.url, reportPause)
	time.Sleep(warmUp)
	killed := time.Now()
	pg.kill()
	killedBy := time.Now()
	time.Sleep(downFor)
	restarted := time.Now()
	pg.start()
	back := time.Now()
	for _, s := range readers {
		for !s.acceptedSince(restarted) && time.Since(restarted) < recoverAfter {
			time.Sleep(50 * time.Millisecond)
		}
	}
	time.Sleep(time.Second) // a last stretch of writes on the recovered server
	l.finish()
	t.Logf("killed after %s of load, down for %s, accepting connections %s after the restart", warmUp,
		restarted.Sub(killed).Round(time.Millisecond), back.Sub(restarted).Round(time.Millisecond))

	// Backends orphaned by the kill may finish what they were doing for a
	// moment; from half a second on, nothing can be accepted.
	outage := window{from: killedBy.Add(500 * time.Millisecond), to: restarted}
	total, unavailable := checkAnswers(t, readers, outage)
	t.Logf("%d reports, %d answered 503 (outage from %s to %s)", total, unavailable,
		killed.Format("15:04:05.000"), restarted.Format("15:04:05.000"))
	if unavailable == 0 {
		t.Error("no report was answered 503: the outage went unseen")
	}
	for i, s := range readers {
		if !s.acceptedSince(restarted) {
			t.Errorf("student %d: no report accepted within %s of the restart", i+1, recoverAfter)
		} else if first := s.firstAcceptedSince(restarted); first.Sub(restarted) > recoverAfter {
			t.Errorf("student %d: first report accepted %s after the restart", i+1, first.Sub(restarted))
		}
	}
	checkNothingLost(t, p.store, readers)
	checkLoggedOnce(t, p.logs)
}

// window is a span of time.
type window struct{ from, to time.Time }

// holds reports whether a lies wholly inside w.
func (w window) holds(a answer) bool { return !a.began.Before(w.from) && !a.end.After(w.to) }

// checkAnswers holds every answer to the promises: 200, or 503 with
// Retry-After and the JSON code unavailable, never slower than maxAnswer;
// a report wholly inside the outage is never accepted.
func checkAnswers(t *testing.T, readers []*student, outage window) (total, unavailable int) {
	t.Helper()
	bad := 0
	complain := func(i int, a answer, why string) {
		if bad++; bad <= 10 {
			t.Errorf("student %d: %s: %s", i+1, why, a)
		}
	}
	for i, s := range readers {
		for _, a := range s.answers {
			total++
			switch {
			case a.failure != nil:
				complain(i, a, "no usable answer")
			case a.end.Sub(a.began) > maxAnswer:
				complain(i, a, "answered after more than "+maxAnswer.String())
			case a.status == http.StatusServiceUnavailable:
				unavailable++
				if a.retryAfter == "" || a.code != "unavailable" {
					complain(i, a, "a 503 without Retry-After or the code unavailable")
				}
			case a.status != http.StatusOK:
				complain(i, a, "neither 200 nor 503")
			case outage.holds(a):
				complain(i, a, "accepted while the database was down")
			}
		}
	}
	if bad > 10 {
		t.Errorf("… and %d more", bad-10)
	}
	return total, unavailable
}

// firstAcceptedSince is when the first report begun at t or later was
// answered 200 (zero if none was).
func (s *student) firstAcceptedSince(t time.Time) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.answers {
		if !a.began.Before(t) && a.status == http.StatusOK {
			return a.end
		}
	}
	return time.Time{}
}

// checkNothingLost compares every acknowledged report with the database:
// progress only grows, so each stored percent is at least the highest one
// acknowledged, and never more than the highest one sent.
func checkNothingLost(t *testing.T, store *models.Store, readers []*student) {
	t.Helper()
	type key struct {
		user    int64
		reading string
	}
	var rows []struct {
		UserID  int64
		Slug    string
		Percent int
	}
	err := store.DB().Table("reading_progress").
		Select("enrollments.user_id, readings.slug, reading_progress.percent").
		Joins("JOIN enrollments ON enrollments.id = reading_progress.enrollment_id").
		Joins("JOIN readings ON readings.id = reading_progress.reading_id").
		Scan(&rows).Error
	if err != nil {
		t.Fatalf("read progress back: %v", err)
	}
	stored := map[key]int{}
	for _, r := range rows {
		stored[key{r.UserID, r.Slug}] = r.Percent
	}
	acked, lost := 0, 0
	for i, s := range readers {
		highestAcked, highestSent := map[string]int{}, map[string]int{}
		for _, a := range s.answers {
			highestSent[a.reading] = max(highestSent[a.reading], a.sent)
			if a.status == http.StatusOK {
				acked++
				highestAcked[a.reading] = max(highestAcked[a.reading], a.acked)
			}
		}
		for reading, want := range highestAcked {
			if got := stored[key{s.id, reading}]; got < want {
				lost++
				t.Errorf("student %d, %s: %d%% stored, %d%% acknowledged", i+1, reading, got, want)
			}
		}
		for reading, got := range stored {
			if reading.user == s.id && got > highestSent[reading.reading] {
				t.Errorf("student %d, %s: %d%% stored, at most %d%% sent", i+1, reading.reading, got, highestSent[reading.reading])
			}
		}
	}
	t.Logf("%d acknowledged reports, %d lost", acked, lost)
}

// checkLoggedOnce: the outage is logged when it begins and when it ends,
// once each, not once per 503; nothing failed as a 500.
func checkLoggedOnce(t *testing.T, logs *testdb.LogBuffer) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for logs.Count("database reachable again") == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	began, ended, failed := logs.Count("database unavailable"), logs.Count("database reachable again"), logs.Count("request failed")
	if began != 1 || ended != 1 || failed != 0 {
		t.Errorf("the log says %d outages began, %d ended and %d requests failed; want 1, 1 and 0:\n%.4000s",
			began, ended, failed, logs)
	}
}
