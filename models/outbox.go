package models

import (
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// Mail kinds kept in the outbox.
const (
	MailEnrolled    = "enrolled"
	MailWaitlisted  = "waitlisted"
	MailPromoted    = "promoted"
	MailCertificate = "certificate"
	MailReminder    = "reminder"
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

// enqueue adds a message about a course unless one with the same dedupe key
// exists.
func (s *Store) enqueue(tx *gorm.DB, userID, courseID int64, kind, dedupeKey, subject, body string) error {
	var u User
	if err := tx.Select("id, email, full_name").Take(&u, userID).Error; err != nil {
		return fmt.Errorf("store: unable to load mail recipient: %w", err)
	}
	msg := s.newQueuedMail(kind, dedupeKey, u.Email, u.FullName, subject, body)
	msg.CourseID = &courseID
	_, err := queueMail(tx, []queuedMail{msg})
	return err
}

func (s *Store) enqueueEnrollmentMail(tx *gorm.DB, e *Enrollment, c *Course, position int) error {
	key := "enrollment:" + strconv.FormatInt(e.ID, 10) + ":" + e.Status
	if e.Status == StatusWaitlisted {
		return s.enqueue(tx, e.UserID, c.ID, MailWaitlisted, key, "You are on the waitlist for "+c.Title,
			fmt.Sprintf("The current cohort of %s is full, so you are number %d on the waitlist.\n"+
				"When a seat frees up it goes to the person who has waited longest, and we will write to you.\n", c.Title, position))
	}
	return s.enqueue(tx, e.UserID, c.ID, MailEnrolled, key, "Welcome to "+c.Title,
		"You are enrolled in "+c.Title+". Your first reading is waiting for you on the course home.\n")
}

func (s *Store) enqueuePromotionMail(tx *gorm.DB, e *Enrollment, c *Course) error {
	key := "enrollment:" + strconv.FormatInt(e.ID, 10) + ":promoted"
	return s.enqueue(tx, e.UserID, c.ID, MailPromoted, key, "A seat opened up in "+c.Title,
		"Good news: a seat opened up and you are now enrolled in "+c.Title+".\n")
}

func (s *Store) enqueueCertificateMail(tx *gorm.DB, cert *Certificate, c *Course) error {
	key := "certificate:" + cert.Code
	return s.enqueue(tx, cert.UserID, c.ID, MailCertificate, key, "Your certificate for "+c.Title,
		"Congratulations on completing "+c.Title+".\nYour certificate code is "+cert.Code+".\n")
}
