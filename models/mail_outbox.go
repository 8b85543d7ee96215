package models

import (
	"context"
	"fmt"
	"slices"

	"gorm.io/gorm"
)

// OutboxEntry is an outbox row with the columns of migration 00004.
type OutboxEntry struct {
	OutboxMessage
	CourseID        *int64
	ListUnsubscribe string
	// CourseTitle is filled in by the console's queries only.
	CourseTitle string `gorm:"->"`
}

// TableName pins the table name.
func (OutboxEntry) TableName() string { return "outbox" }

// OutboxStatuses are the status filters of the console's outbox.
var OutboxStatuses = []string{MailPending, MailSent, MailFailed}

// OutboxFilter selects a page of the outbox, newest first.
type OutboxFilter struct {
	Status string // "" for every status
	Before int64  // keyset cursor: only ids below it; 0 for the first page
	Limit  int
}

// OutboxPage is one page of the outbox as a viewer may see it.
type OutboxPage struct {
	Entries []OutboxEntry
	// Next is the cursor of the following page, 0 when none.
	Next int64
	// Counts holds the number of visible messages per status.
	Counts map[string]int
}

// outboxVisible limits a query to what the viewer may read: administrators
// read everything; instructors the messages about the courses they teach;
// nobody else anything. Mail about several courses stays with
// administrators.
func (s *Store) outboxVisible(q *gorm.DB, viewer *User) *gorm.DB {
	switch {
	case viewer.IsAdmin():
		return q
	case viewer != nil && viewer.Role == RoleInstructor:
		return q.Where("o.course_id IN (SELECT ci.course_id FROM course_instructors ci WHERE ci.user_id = ?)", viewer.ID)
	}
	return q.Where("1 = 0")
}

// Outbox lists a page of the messages the viewer may read, without their
// bodies, and counts them by status: two queries.
func (s *Store) Outbox(ctx context.Context, viewer *User, f OutboxFilter) (*OutboxPage, error) {
	if f.Status != "" && !slices.Contains(OutboxStatuses, f.Status) {
		return nil, Invalid("status", "Status must be pending, sent or failed.")
	}
	if f.Limit < 1 || f.Limit > MaxRosterLimit {
		f.Limit = DefaultRosterLimit
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	page := &OutboxPage{Counts: map[string]int{}}
	var counts []struct {
		Status string
		N      int
	}
	err := s.outboxVisible(db.Table("outbox o"), viewer).Select("o.status, COUNT(*) AS n").Group("o.status").Scan(&counts).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to count the outbox: %w", err)
	}
	for _, c := range counts {
		page.Counts[c.Status] = c.N
	}
	q := s.outboxVisible(db.Table("outbox o"), viewer).
		Select(`o.id, o.kind, o.dedupe_key, o.to_email, o.to_name, o.subject, o.status, o.attempts, o.next_attempt_at,
  o.locked_until, o.sent_at, o.last_error, o.created_at, o.course_id, COALESCE(c.title, '') AS course_title`).
		Joins("LEFT JOIN courses c ON c.id = o.course_id")
	if f.Status != "" {
		q = q.Where("o.status = ?", f.Status)
	}
	if f.Before > 0 {
		q = q.Where("o.id < ?", f.Before)
	}
	if err := q.Order("o.id DESC").Limit(f.Limit + 1).Scan(&page.Entries).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list the outbox: %w", err)
	}
	if len(page.Entries) > f.Limit {
		page.Entries = page.Entries[:f.Limit]
		page.Next = page.Entries[f.Limit-1].ID
	}
	return page, nil
}

// OutboxEntryFor loads one message with its body, if the viewer may read it.
func (s *Store) OutboxEntryFor(ctx context.Context, viewer *User, id int64) (*OutboxEntry, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var e OutboxEntry
	err := s.outboxVisible(db.Table("outbox o"), viewer).Select("o.*, COALESCE(c.title, '') AS course_title").
		Joins("LEFT JOIN courses c ON c.id = o.course_id").Where("o.id = ?", id).Take(&e).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &e, nil
}
