package models

import (
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

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
}

// TableName pins the table name.
func (queuedMail) TableName() string { return "outbox" }

// newQueuedMail fills in what every message has; the greeting matches the
// outbox's other mails.
func (s *Store) newQueuedMail(kind, key, email, name, subject, body string) queuedMail {
	now := s.clock.Now()
	return queuedMail{Kind: kind, DedupeKey: key, ToEmail: email, ToName: name, Subject: subject,
		BodyText: "Hello " + name + ",\n\n" + body, Status: MailPending, NextAttemptAt: now, CreatedAt: now}
}

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
