package models

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"courseportal/views/i18n"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Mail kinds kept in the outbox.
const (
	MailEnrolled    = "enrolled"
	MailWaitlisted  = "waitlisted"
	MailPromoted    = "promoted"
	MailCertificate = "certificate"
	MailReminder    = "reminder"
)

// Outbox statuses.
const (
	MailPending = "pending"
	MailSent    = "sent"
	MailFailed  = "failed"
)

// OutboxMessage is an email waiting to be sent, written in the same
// transaction as the change it reports, so none is lost or sent twice.
type OutboxMessage struct {
	ID            int64
	Kind          string
	DedupeKey     string
	ToEmail       string
	ToName        string
	Subject       string
	BodyText      string
	Status        string
	Attempts      int
	NextAttemptAt time.Time
	LockedUntil   *time.Time
	SentAt        *time.Time
	LastError     string
	CreatedAt     time.Time
}

// TableName pins the table name.
func (OutboxMessage) TableName() string { return "outbox" }

// mailInsertBatch is how many messages one INSERT writes.
const mailInsertBatch = 100

// queuedMail is a new outbox row, with the columns migration 00004 added.
// It has no id field, so inserting it needs no RETURNING and a conflict on
// the dedupe key simply skips the row.
type queuedMail struct {
	Kind            string
	DedupeKey       string
	ToEmail         string
	ToName          string
	Subject         string
	BodyText        string
	Status          string
	Attempts        int
	NextAttemptAt   time.Time
	CreatedAt       time.Time
	CourseID        *int64
	ListUnsubscribe string
	// UserID is the person the message is written to (migration 00008).
	UserID *int64
}

// TableName pins the table name.
func (queuedMail) TableName() string { return "outbox" }

// newQueuedMail fills in what every message has; the greeting, in the
// recipient's language, matches the outbox's other mails.
func (s *Store) newQueuedMail(loc *i18n.Localizer, kind, key, email, name, subject, body string) queuedMail {
	now := s.clock.Now()
	return queuedMail{Kind: kind, DedupeKey: key, ToEmail: email, ToName: name, Subject: subject,
		BodyText: loc.T("mail.hello", "Name", name) + "\n\n" + body, Status: MailPending, NextAttemptAt: now, CreatedAt: now}
}

// mailText is a message's subject and body in one language.
type mailText func(loc *i18n.Localizer) (subject, body string)

// queueMail inserts messages in batches, skipping any whose dedupe key is
// already in the outbox, and returns how many were new.
func queueMail(tx *gorm.DB, mails []queuedMail) (int, error) {
	if len(mails) == 0 {
		return 0, nil
	}
	res := tx.Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "dedupe_key"}}, DoNothing: true}).
		CreateInBatches(&mails, mailInsertBatch)
	if res.Error != nil {
		return 0, fmt.Errorf("store: unable to queue mail: %w", res.Error)
	}
	return int(res.RowsAffected), nil
}

// enqueue adds a message about a course, written in the recipient's
// language, unless one with the same dedupe key exists.
func (s *Store) enqueue(tx *gorm.DB, userID, courseID int64, kind, dedupeKey string, text mailText) error {
	var u User
	if err := tx.Select("id, email, full_name, language, erased_at").Take(&u, userID).Error; err != nil {
		return fmt.Errorf("store: unable to load mail recipient: %w", err)
	}
	if u.ErasedAt != nil {
		return nil // an erased account is never written to again
	}
	loc := s.localizer(&u)
	subject, body := text(loc)
	msg := s.newQueuedMail(loc, kind, dedupeKey, u.Email, u.FullName, subject, body)
	msg.CourseID, msg.UserID = &courseID, &u.ID
	_, err := queueMail(tx, []queuedMail{msg})
	return err
}

func (s *Store) enqueueEnrollmentMail(tx *gorm.DB, e *Enrollment, c *Course, position int) error {
	key := "enrollment:" + strconv.FormatInt(e.ID, 10) + ":" + e.Status
	if e.Status == StatusWaitlisted {
		return s.enqueue(tx, e.UserID, c.ID, MailWaitlisted, key, accountMail("waitlisted", "Course", c.Title, "Position", position))
	}
	return s.enqueue(tx, e.UserID, c.ID, MailEnrolled, key, accountMail("enrolled", "Course", c.Title))
}

func (s *Store) enqueuePromotionMail(tx *gorm.DB, e *Enrollment, c *Course) error {
	key := "enrollment:" + strconv.FormatInt(e.ID, 10) + ":promoted"
	return s.enqueue(tx, e.UserID, c.ID, MailPromoted, key, accountMail("promoted", "Course", c.Title))
}

func (s *Store) enqueueCertificateMail(tx *gorm.DB, cert *Certificate, c *Course) error {
	key := "certificate:" + cert.Code
	return s.enqueue(tx, cert.UserID, c.ID, MailCertificate, key, accountMail("certificate", "Course", c.Title, "Code", cert.Code))
}

// OutboxEntry is an outbox row with the columns of migration 00004.
type OutboxEntry struct {
	OutboxMessage
	CourseID        *int64
	ListUnsubscribe string
	UserID          *int64
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
  o.locked_until, o.sent_at, o.last_error, o.created_at, o.course_id, o.user_id, COALESCE(c.title, '') AS course_title`).
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

// PendingMailCount is the depth of the outbox queue: messages not yet sent
// nor given up. One indexed count, cheap enough to run at every scrape.
func (s *Store) PendingMailCount(ctx context.Context) (int64, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var n int64
	if err := db.Model(&OutboxEntry{}).Where("status = ?", MailPending).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count pending mail: %w", err)
	}
	return n, nil
}

// RecentMailTo lists the last messages written to a person, newest first,
// without their bodies: their console page shows them, so an administrator
// can answer "I never got the email" at a glance.
func (s *Store) RecentMailTo(ctx context.Context, userID int64, limit int) ([]OutboxEntry, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var rows []OutboxEntry
	err := db.Table("outbox o").Select(`o.id, o.kind, o.to_email, o.subject, o.status, o.attempts, o.next_attempt_at,
  o.sent_at, o.last_error, o.created_at`).Where("o.user_id = ?", userID).Order("o.id DESC").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list the person's mail: %w", err)
	}
	return rows, nil
}
