package faults_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// answer is one progress write as the student saw it.
type answer struct {
	reading    string
	sent       int // the percent sent
	acked      int // the percent the portal answered with, on 2xx
	status     int // zero when the request failed without an answer
	retryAfter string
	code       string // the JSON error code, on errors
	failure    error
	began, end time.Time
}

func (a answer) String() string {
	return fmt.Sprintf("%s %d%% at %s: status %d (%s) Retry-After %q, took %s, %v", a.reading, a.sent,
		a.began.Format("15:04:05.000"), a.status, a.code, a.retryAfter, a.end.Sub(a.began).Round(time.Millisecond), a.failure)
}

// student is a signed-in reader who sends progress through the course's
// readings in turn, each report a point further than the last.
type student struct {
	id       int64
	token    string
	course   string
	readings []string

	mu      sync.Mutex
	answers []answer
}

// acceptedSince reports whether a report that began at t or later was
// accepted.
func (s *student) acceptedSince(t time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := len(s.answers) - 1; i >= 0 && !s.answers[i].began.Before(t); i-- {
		if s.answers[i].status == http.StatusOK {
			return true
		}
	}
	return false
}

// enrollStudents creates n students enrolled in the course, each with a
// bearer token.
func enrollStudents(t *testing.T, store *models.Store, course *models.Course, n int) []*student {
	t.Helper()
	ctx := context.Background()
	var readings []string
	for _, w := range course.Weeks {
		for _, r := range w.Readings {
			readings = append(readings, r.Slug)
		}
	}
	out := make([]*student, 0, n)
	for range n {
		u := testdb.User(t, store, models.RoleStudent)
		if _, err := store.Enroll(ctx, u.ID, course); err != nil {
			t.Fatalf("enroll: %v", err)
		}
		token, err := store.CreateSession(ctx, u.ID, "fault test")
		if err != nil {
			t.Fatalf("session: %v", err)
		}
		out = append(out, &student{id: u.ID, token: token, course: course.Slug, readings: readings})
	}
	return out
}

// read sends progress reports every pause until stop is closed or every
// reading is at 99 %.
func (s *student) read(client *http.Client, base string, pause time.Duration, stop <-chan struct{}) {
	for n := 0; ; n++ {
		select {
		case <-stop:
			return
		default:
		}
		reading, percent := s.readings[n%len(s.readings)], n/len(s.readings)+1
		if percent > 99 {
			return
		}
		a := s.report(client, base, reading, percent)
		s.mu.Lock()
		s.answers = append(s.answers, a)
		s.mu.Unlock()
		time.Sleep(pause)
	}
}

func (s *student) report(client *http.Client, base, reading string, percent int) answer {
	a := answer{reading: reading, sent: percent, began: time.Now()}
	body := fmt.Sprintf(`{"course":%q,"percent":%d,"seconds":5}`, s.course, percent)
	req, err := http.NewRequest(http.MethodPut, base+"/api/v1/me/readings/"+reading+"/progress", strings.NewReader(body))
	if err != nil {
		a.failure, a.end = err, time.Now()
		return a
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+s.token)
	res, err := client.Do(req)
	if err != nil {
		a.failure, a.end = err, time.Now()
		return a
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	a.end = time.Now()
	a.status, a.retryAfter, a.failure = res.StatusCode, res.Header.Get("Retry-After"), err
	var reply struct {
		Percent int `json:"percent"`
		Error   struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(raw, &reply); err != nil {
		a.failure = fmt.Errorf("not JSON: %w: %.200s", err, raw)
	}
	a.acked, a.code = reply.Percent, reply.Error.Code
	return a
}

// load is every student reading at once until stopped.
type load struct {
	students []*student
	stop     chan struct{}
	done     sync.WaitGroup
}

func startLoad(students []*student, base string, pause time.Duration) *load {
	client := &http.Client{Timeout: 15 * time.Second,
		Transport: &http.Transport{MaxIdleConnsPerHost: len(students) * 2}}
	l := &load{students: students, stop: make(chan struct{})}
	for _, s := range students {
		l.done.Add(1)
		go func() { defer l.done.Done(); s.read(client, base, pause, l.stop) }()
	}
	return l
}

func (l *load) finish() {
	close(l.stop)
	l.done.Wait()
}
