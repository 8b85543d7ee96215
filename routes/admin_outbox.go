package routes

import (
	"net/http"
	"strconv"
	"time"

	"courseportal/models"
	"courseportal/views/i18n"

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
	loc := h.localizer(c)
	v := &outboxView{Tab: "outbox", Status: status, First: outboxURL(status, 0), Rows: outboxRows(loc, pg.Entries)}
	for _, n := range pg.Counts {
		v.Total += n
	}
	v.Tabs = append(v.Tabs, outboxTab{Label: loc.T("console.outbox.all"), URL: "/admin/outbox", Count: v.Total, On: status == ""})
	for _, s := range models.OutboxStatuses {
		v.Tabs = append(v.Tabs, outboxTab{Label: loc.T("console.outbox.status." + s), URL: outboxURL(s, 0), Count: pg.Counts[s], On: status == s})
	}
	if pg.Next != 0 {
		v.Next = outboxURL(status, pg.Next)
	}
	return h.render(c, http.StatusOK, "admin_outbox", page{Title: loc.T("console.nav.outbox"), Data: v})
}

// outboxRows prepares messages for a list.
func outboxRows(loc *i18n.Localizer, entries []models.OutboxEntry) []outboxRow {
	rows := make([]outboxRow, 0, len(entries))
	for _, e := range entries {
		rows = append(rows, outboxRow{OutboxEntry: e, Written: outboxWhen(loc, e.CreatedAt),
			KindName: outboxKindName(loc, e.Kind), Delivery: outboxDelivery(loc, &e)})
	}
	return rows
}

// outboxKindName names a kind of message for people: the catalogue's
// console.outbox.kinds.<kind>, or the kind itself for one it does not know.
func outboxKindName(loc *i18n.Localizer, kind string) string {
	if id := "console.outbox.kinds." + kind; loc.Has(id) {
		return loc.T(id)
	}
	return kind
}

// outboxWhen writes a moment of the outbox, like "2 Jan 15:04" (UTC).
func outboxWhen(loc *i18n.Localizer, t time.Time) string {
	t = t.UTC()
	return loc.T("console.outbox.when", "Day", t.Day(), "Month", loc.ShortMonth(t), "Clock", t.Format("15:04"))
}

// outboxDelivery says where a message is in its delivery.
func outboxDelivery(loc *i18n.Localizer, e *models.OutboxEntry) string {
	switch {
	case e.Status == models.MailSent && e.SentAt != nil:
		return loc.T("console.outbox.sent_at", "When", outboxWhen(loc, *e.SentAt), "Attempt", e.Attempts)
	case e.Status == models.MailFailed:
		return loc.N("console.outbox.gave_up", e.Attempts)
	case e.Attempts > 0:
		return loc.T("console.outbox.retrying", "Attempt", e.Attempts, "When", outboxWhen(loc, e.NextAttemptAt))
	}
	return loc.T("console.outbox.pending")
}

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
	loc := h.localizer(c)
	return h.render(c, http.StatusOK, "admin_outbox_message", page{Title: msg.Subject,
		Data: fiber.Map{"Tab": "outbox", "Msg": msg, "Kind": outboxKindName(loc, msg.Kind), "Delivery": outboxDelivery(loc, msg)}})
}
