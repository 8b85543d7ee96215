package models_test

import (
	"context"
	"strings"
	"testing"

	"courseportal/models"
)

// TestRemindersSpeakTheStudentsLanguage checks that reminders are written in
// the language on the student's account, with the course's own title and
// links untouched, and that the language saved must be one offered.
func TestRemindersSpeakTheStudentsLanguage(t *testing.T) {
	c := seedClass(t, models.PacingScheduled) // at risk: ben, cyd
	ctx := context.Background()
	ben := c.Students["ben"]
	if err := c.Store.SetLanguage(ctx, ben, "fa-AF"); err != nil {
		t.Fatal(err)
	}
	if err := c.Store.SetLanguage(ctx, c.Students["cyd"], "klingon"); err == nil {
		t.Error("a language that is not offered was saved")
	}
	if _, err := c.Store.QueueWeeklyReminders(ctx, portal); err != nil {
		t.Fatal(err)
	}
	sent := reminders(t, c.Store, models.MailWeeklyReminder)
	dari, english := sent["ben"], sent["cyd"]
	for _, want := range []string{"یادآوری هفتگی شما برای " + c.Course.Title, "سلام ben،", "شما 0 از 3 متنی",
		portal + "/learn/" + c.Course.Slug, "برای قطع ایمیل"} {
		if !strings.Contains(dari.Subject+"\n"+dari.BodyText, want) {
			t.Errorf("ben's reminder lacks %q:\n%s\n%s", want, dari.Subject, dari.BodyText)
		}
	}
	if strings.Contains(dari.BodyText, "You have") || !strings.Contains(english.BodyText, "You have completed 0 of the 3 readings due so far.") {
		t.Errorf("reminders in the wrong language:\n%s\n---\n%s", dari.BodyText, english.BodyText)
	}
}
