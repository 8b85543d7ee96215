package models_test

import (
	"context"
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

const portal = "https://portal.test"

// reminders returns the reminder rows of the outbox, by recipient name.
func reminders(t testing.TB, store *models.Store, kind string) map[string]models.OutboxEntry {
	t.Helper()
	out := map[string]models.OutboxEntry{}
	for _, r := range testdb.Outbox(t, store, "") {
		if r.Kind == kind {
			out[r.ToName] = r
		}
	}
	return out
}

func keys(m map[string]models.OutboxEntry) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var unsubscribeLink = regexp.MustCompile(`https://portal\.test/unsubscribe/([A-Za-z0-9_-]+)`)

func TestRemindCohortSkipsCompletedAndOptedOut(t *testing.T) {
	c := seedClass(t, models.PacingScheduled) // at risk: ben, cyd; completed: dee
	ctx := context.Background()
	admin := testdb.User(t, c.Store, models.RoleAdmin)
	if err := c.Store.DB().Model(c.Students["cyd"]).Update("reminders_opt_out", true).Error; err != nil {
		t.Fatal(err)
	}
	res, err := c.Store.RemindCohort(ctx, admin, c.Course, c.Cohort.ID, 7, portal)
	if err != nil {
		t.Fatal(err)
	}
	if *res != (models.ReminderResult{AtRisk: 2, Queued: 1, OptedOut: 1}) {
		t.Fatalf("result = %+v", res)
	}
	sent := reminders(t, c.Store, models.MailReminder)
	if got := keys(sent); !slices.Equal(got, []string{"ben"}) {
		t.Fatalf("reminded %v, want only ben", got)
	}
	ben := sent["ben"]
	if ben.CourseID == nil || *ben.CourseID != c.Course.ID || !strings.HasPrefix(ben.ListUnsubscribe, portal+"/unsubscribe/") ||
		!strings.Contains(ben.BodyText, "completed 0 of the 3 readings due") || !strings.Contains(ben.BodyText, portal+"/learn/"+c.Course.Slug) ||
		!strings.Contains(ben.BodyText, ben.ListUnsubscribe) {
		t.Fatalf("ben's reminder = %+v\n%s", ben.OutboxMessage, ben.BodyText)
	}

	// Again the same day: nothing new. The next day: again.
	if res, _ := c.Store.RemindCohort(ctx, admin, c.Course, c.Cohort.ID, 7, portal); res.Queued != 0 || res.AlreadyToday != 1 {
		t.Fatalf("second reminder the same day = %+v", res)
	}
	c.Clock.Advance(day)
	if res, _ := c.Store.RemindCohort(ctx, admin, c.Course, c.Cohort.ID, 7, portal); res.Queued != 1 {
		t.Fatalf("reminder the next day = %+v", res)
	}
	var audits []models.AuditEntry
	c.Store.DB().Where("action = ?", "reminders.queue").Order("id").Find(&audits)
	if len(audits) != 3 || *audits[0].ActorID != admin.ID || !strings.Contains(audits[0].Detail, "queued 1 of 2") ||
		audits[0].Target != "cohort:"+c.Course.Slug+"/"+itoa(c.Cohort.ID) {
		t.Fatalf("audit = %+v", audits)
	}
	if _, err := c.Store.RemindCohort(ctx, admin, c.Course, c.Cohort.ID+100, 7, portal); !errors.Is(err, models.ErrNotFound) {
		t.Fatalf("a cohort of another course: %v", err)
	}
}

func TestWeeklyRemindersOncePerWeekToThoseBehind(t *testing.T) {
	c := seedClass(t, models.PacingScheduled) // day 15: at risk ben and cyd; ada active today; dee completed
	ctx := context.Background()
	if err := c.Store.DB().Model(c.Students["cyd"]).Update("reminders_opt_out", true).Error; err != nil {
		t.Fatal(err)
	}
	// ben is also behind in a second course: one message covers both.
	other, _ := testdb.Course(t, c.Store, 2, models.Cohort{Pacing: models.PacingSelfPaced, StartsAt: testdb.Start})
	c.Clock.Advance(-15 * day)
	if _, err := c.Store.Enroll(ctx, c.Students["ben"].ID, other); err != nil {
		t.Fatal(err)
	}
	c.Clock.Advance(15 * day)

	n, err := c.Store.QueueWeeklyReminders(ctx, portal)
	if err != nil || n != 1 {
		t.Fatalf("weekly = %d, %v", n, err)
	}
	weekly := reminders(t, c.Store, models.MailWeeklyReminder)
	ben, ok := weekly["ben"]
	if !ok || len(weekly) != 1 || !strings.Contains(ben.BodyText, c.Course.Title) || !strings.Contains(ben.BodyText, other.Title) ||
		ben.CourseID != nil || ben.DedupeKey != "reminder:weekly:"+models.ISOWeek(c.Clock.Now())+":"+itoa(c.Students["ben"].ID) {
		t.Fatalf("weekly reminders = %v\n%+v\n%s", keys(weekly), ben.OutboxMessage, ben.BodyText)
	}
	if n, _ := c.Store.QueueWeeklyReminders(ctx, portal); n != 0 {
		t.Fatalf("second run the same week queued %d", n)
	}
	// Next ISO week: ada has now been quiet for a week too.
	c.Clock.Advance(7*day + time.Hour)
	if n, _ := c.Store.QueueWeeklyReminders(ctx, portal); n != 2 {
		t.Fatalf("next week queued %d, want ada and ben", n)
	}
	for _, r := range testdb.Outbox(t, c.Store, "") {
		if r.Kind == models.MailWeeklyReminder && (r.ToName == "dee" || r.ToName == "cyd" || r.ToName == "eve") {
			t.Fatalf("%s was reminded", r.ToName)
		}
	}
}

func TestUnsubscribeTokens(t *testing.T) {
	c := seedClass(t, models.PacingScheduled)
	ctx := context.Background()
	ben := c.Students["ben"]
	link, err := c.Store.UnsubscribeURL(ctx, portal, ben.ID)
	if err != nil {
		t.Fatal(err)
	}
	token := unsubscribeLink.FindStringSubmatch(link)[1]
	if again, _ := c.Store.UnsubscribeURL(ctx, portal, ben.ID); again != link {
		t.Fatal("the link is not stable")
	}
	u, err := c.Store.UserByUnsubscribeToken(ctx, token)
	if err != nil || u.ID != ben.ID || u.RemindersOptOut {
		t.Fatalf("token resolves to %+v, %v", u, err)
	}
	// Forged: another user's id with ben's signature, a flipped bit, junk.
	other, _ := c.Store.UnsubscribeURL(ctx, portal, c.Students["ada"].ID)
	otherToken := unsubscribeLink.FindStringSubmatch(other)[1]
	for _, bad := range []string{otherToken[:12] + token[12:], token[:len(token)-1] + flip(token[len(token)-1]), "abc", "", strings.Repeat("A", 200)} {
		if _, err := c.Store.UserByUnsubscribeToken(ctx, bad); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("token %q: %v", bad, err)
		}
	}
	if u, err := c.Store.SetRemindersOptOut(ctx, token, true); err != nil || !u.RemindersOptOut {
		t.Fatalf("opt out: %+v %v", u, err)
	}
	admin := testdb.User(t, c.Store, models.RoleAdmin)
	if res, _ := c.Store.RemindCohort(ctx, admin, c.Course, c.Cohort.ID, 7, portal); res.Queued != 1 || res.OptedOut != 1 {
		t.Fatalf("after ben opted out: %+v", res)
	}
	var n int64
	c.Store.DB().Model(&models.AuditEntry{}).Where("action = ? AND actor_id = ?", "reminders.opt_out", ben.ID).Count(&n)
	if n != 1 {
		t.Fatalf("%d audit entries for the opt-out", n)
	}
}

func flip(b byte) string {
	if b == 'A' {
		return "B"
	}
	return "A"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
