package routes

import (
	"net/http"
	"strconv"
	"time"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// outboxView is the outbox page's data.
type outboxView struct {
	Tab    string
	Rows   []outboxRow
	Status string
	Tabs   []outboxTab
	Next   string
	First  string
	Total  int
}

// outboxRow is one message as the list shows it.
type outboxRow struct {
	models.OutboxEntry
	Written  string
	KindName string
	Delivery string
}

// outboxTab filters the outbox by status.
type outboxTab struct {
	Label string
	URL   string
	Count int
	On    bool
}

// outboxList shows the outbox, newest first: administrators see every
// message; instructors those about the courses they teach.
func (h *handler) outboxList(c *fiber.Ctx) error {
	status := c.Query("status")
	before, err := queryInt(c, "before", "The page link is invalid; start again from the first page.")
	if err != nil {
		return err
	}
	pg, err := h.store.Outbox(c.UserContext(), currentUser(c), models.OutboxFilter{Status: status, Before: before, Limit: 50})
	if err != nil {
		return err
	}
	v := &outboxView{Tab: "outbox", Status: status, First: outboxURL(status, 0), Rows: outboxRows(pg.Entries)}
	for _, n := range pg.Counts {
		v.Total += n
	}
	v.Tabs = append(v.Tabs, outboxTab{Label: "All", URL: "/admin/outbox", Count: v.Total, On: status == ""})
	for _, s := range models.OutboxStatuses {
		v.Tabs = append(v.Tabs, outboxTab{Label: outboxLabels[s], URL: outboxURL(s, 0), Count: pg.Counts[s], On: status == s})
	}
	if pg.Next != 0 {
		v.Next = outboxURL(status, pg.Next)
	}
	return h.render(c, http.StatusOK, "admin_outbox", page{Title: "Outbox", Data: v})
}

// outboxRows prepares messages for a list.
func outboxRows(entries []models.OutboxEntry) []outboxRow {
	rows := make([]outboxRow, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, outboxRow{OutboxEntry: e, Written: e.CreatedAt.UTC().Format("2 Jan 15:04"),
			KindName: outboxKindName(e.Kind), Delivery: outboxDelivery(&e)})
	}
	return rows
}

// outboxKindName names a kind of message for people.
func outboxKindName(kind string) string {
	switch kind {
	case models.MailEnrolled:
		return "Welcome"
	case models.MailWaitlisted:
		return "Waitlist"
	case models.MailPromoted:
		return "Seat opened"
	case models.MailCertificate:
		return "Certificate"
	case models.MailReminder:
		return "Reminder"
	case models.MailWeeklyReminder:
		return "Weekly reminder"
	case models.MailVerifyEmail:
		return "Address confirmation"
	case models.MailPasswordReset:
		return "Password reset"
	case models.MailEmailChange:
		return "New address confirmation"
	case models.MailEmailChanged:
		return "Address changed"
	case models.MailPasswordChanged:
		return "Password changed"
	}
	return kind
}

// outboxDelivery says where a message is in its delivery.
func outboxDelivery(e *models.OutboxEntry) string {
	when := func(t time.Time) string { return t.UTC().Format("2 Jan 15:04") }
	switch {
	case e.Status == models.MailSent && e.SentAt != nil:
		return "Sent " + when(*e.SentAt) + " (attempt " + strconv.Itoa(e.Attempts) + ")"
	case e.Status == models.MailFailed:
		return "Gave up after " + strconv.Itoa(e.Attempts) + " attempts"
	case e.Attempts > 0:
		return "Attempt " + strconv.Itoa(e.Attempts) + " failed; next try " + when(e.NextAttemptAt)
	}
	return "Waiting for the mail worker"
}

var outboxLabels = map[string]string{models.MailPending: "Waiting", models.MailSent: "Sent", models.MailFailed: "Failed"}

func outboxURL(status string, before int64) string {
	u := "/admin/outbox"
	sep := "?"
	if status != "" {
		u, sep = u+"?status="+status, "&"
	}
	if before > 0 {
		u += sep + "before=" + strconv.FormatInt(before, 10)
	}
	return u
}

// outboxShow shows one message as it will be (or was) sent. A message the
// viewer may not read is not found, rather than forbidden, so ids reveal
// nothing.
func (h *handler) outboxShow(c *fiber.Ctx) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	msg, err := h.store.OutboxEntryFor(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	// A live reset or confirmation link would give the account away.
	msg.BodyText = models.MaskSecretLinks(msg.BodyText)
	return h.render(c, http.StatusOK, "admin_outbox_message", page{Title: msg.Subject,
		Data: fiber.Map{"Tab": "outbox", "Msg": msg, "Kind": outboxKindName(msg.Kind), "Delivery": outboxDelivery(msg)}})
}
