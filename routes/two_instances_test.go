package routes_test

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"courseportal/models"
	outmail "courseportal/models/mail"
	"courseportal/models/testdb"
)

// Two instances of the portal, each with its own connection pool, on one
// database, as behind a load balancer: what one instance does, the other
// sees at once, since neither keeps sessions, seats or mail in memory.

// on is the same browser (its cookies) talking to another instance.
func (c *client) on(other *env) *client {
	return &client{e: other, cookies: maps.Clone(c.cookies), bearer: c.bearer}
}

// signedIn reports whether the client's session opens the dashboard.
func signedIn(t *testing.T, c *client) bool {
	t.Helper()
	res := c.get("/dashboard")
	switch {
	case res.Status == http.StatusOK:
		return true
	case res.Status == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/login"):
		return false
	}
	t.Fatalf("dashboard = %d → %q", res.Status, res.Header.Get("Location"))
	return false
}

func TestTwoInstancesLogoutEndsTheSessionOnBoth(t *testing.T) {
	a := newEnv(t)
	b := a.instance()
	onA, _ := a.loginAs(models.RoleStudent)
	onB := onA.on(b)
	if !signedIn(t, onB) {
		t.Fatal("a session made on A does not open B")
	}
	mustRedirect(t, onA.postForm("/logout", nil), "/")
	if signedIn(t, onB) {
		t.Fatal("after logging out on A, the same session still opens B")
	}
}

func TestTwoInstancesDisablingSignsOutOnBoth(t *testing.T) {
	a := newEnv(t)
	b := a.instance()
	admin, _ := a.loginAs(models.RoleAdmin)
	student, u := b.loginAs(models.RoleStudent)
	token, err := b.store.CreateSession(context.Background(), u.ID, "api client")
	if err != nil {
		t.Fatal(err)
	}
	api := &client{e: b, cookies: map[string]string{}, bearer: token}
	if !signedIn(t, student) {
		t.Fatal("the student is not signed in on B")
	}
	if res := api.get("/api/v1/me/enrollments"); res.Status != http.StatusOK {
		t.Fatalf("the token on B = %d", res.Status)
	}
	path := fmt.Sprintf("/admin/users/%d", u.ID)
	mustRedirect(t, admin.postForm(path+"/disable", nil), path)
	if signedIn(t, student) {
		t.Fatal("disabled on A, the student's browser session still opens B")
	}
	if res := api.get("/api/v1/me/enrollments"); res.Status != http.StatusUnauthorized || res.errorCode(t) != "invalid_token" {
		t.Fatalf("disabled on A, the student's token on B = %d %s", res.Status, res.Body)
	}
}

// Joins split across both instances at once never give more seats than the
// cohort has: the rest go to the waitlist, in one queue.
func TestTwoInstancesNeverExceedCapacity(t *testing.T) {
	const seats, people = 5, 16
	a := newEnv(t)
	b := a.instance()
	course, cohort := testdb.Course(t, a.store, 1, models.Cohort{Capacity: testdb.Capacity(seats)})
	clients := make([]*client, people)
	for i := range clients {
		u := testdb.User(t, a.store, models.RoleStudent)
		token, err := a.store.CreateSession(context.Background(), u.ID, "api client")
		if err != nil {
			t.Fatal(err)
		}
		instance := a
		if i%2 == 1 {
			instance = b
		}
		clients[i] = &client{e: instance, cookies: map[string]string{}, bearer: token}
	}
	statuses := make([]int, people)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			statuses[i] = c.sendJSON(http.MethodPost, "/api/v1/courses/"+course.Slug+"/enrollments", "").Status
		}()
	}
	close(start)
	wg.Wait()
	count := map[int]int{}
	for _, s := range statuses {
		count[s]++
	}
	if count[http.StatusCreated] != seats || count[http.StatusAccepted] != people-seats {
		t.Fatalf("answers %v: want %d seats (201) and %d on the waitlist (202)", count, seats, people-seats)
	}
	enrolled := func(status string) int64 {
		var n int64
		if err := a.store.DB().Model(&models.Enrollment{}).Where("cohort_id = ? AND status = ?", cohort.ID, status).
			Count(&n).Error; err != nil {
			t.Fatal(err)
		}
		return n
	}
	active, waiting := enrolled(models.StatusActive), enrolled(models.StatusWaitlisted)
	if active != seats || waiting != people-seats {
		t.Fatalf("the database holds %d active and %d waitlisted enrollments, want %d and %d", active, waiting, seats, people-seats)
	}
}

// Messages queued on A are sent exactly once each while the mail workers
// of both instances run.
func TestTwoInstancesSendEachMessageOnce(t *testing.T) {
	const people = 12
	a := newEnv(t)
	b := a.instance()
	sink := testdb.NewSMTPSink(t)
	course, _ := testdb.Course(t, a.store, 1, models.Cohort{})

	ctx, stop := context.WithCancel(context.Background())
	var workers sync.WaitGroup
	for _, instance := range []*env{a, b} {
		sender, err := outmail.SenderFromURL(sink.URL(), "Course Team <team@courses.test>")
		if err != nil {
			t.Fatal(err)
		}
		w := outmail.NewWorker(instance.store, sender, testdb.Quiet)
		w.PollInterval, w.Batch = 20*time.Millisecond, 1
		workers.Add(1)
		go func() { defer workers.Done(); w.Run(ctx) }()
	}
	defer func() { stop(); workers.Wait() }()

	// Each enrollment on A queues one confirmation.
	addresses := map[string]int{}
	for range people {
		student, u := a.loginAs(models.RoleStudent)
		if res := student.sendJSON(http.MethodPost, "/api/v1/courses/"+course.Slug+"/enrollments", ""); res.Status != http.StatusCreated {
			t.Fatalf("enroll on A = %d %s", res.Status, res.Body)
		}
		addresses[u.Email] = 0
	}
	received := func() int { return len(sink.Messages()) }
	deadline := time.Now().Add(10 * time.Second)
	for received() < people && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // many more passes of both workers
	stop()
	workers.Wait()
	for _, m := range sink.Messages() {
		to, err := mail.ParseAddress(m.Header.Get("To"))
		if err != nil {
			t.Fatalf("To: %v", err)
		}
		addresses[to.Address]++
	}
	for address, n := range addresses {
		if n != 1 {
			t.Errorf("%d messages to %s, want exactly 1", n, address)
		}
	}
	if received() != people {
		t.Fatalf("the sink received %d messages, want %d", received(), people)
	}
	for _, r := range testdb.Outbox(t, a.store, "") {
		if r.Status != models.MailSent || r.Attempts != 1 {
			t.Fatalf("outbox row %d (%s): %s after %d attempts, want sent after 1", r.ID, r.Kind, r.Status, r.Attempts)
		}
	}
}
