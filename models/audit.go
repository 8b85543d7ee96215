package models

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"
)

// AuditEntry records an action taken by staff.
type AuditEntry struct {
	ID        int64
	ActorID   *int64
	Action    string
	Target    string
	Detail    string
	CreatedAt time.Time
}

// TableName pins the table name.
func (AuditEntry) TableName() string { return "audit_log" }

// audit records a staff action; actorID 0 is the operator's command line.
func (s *Store) audit(tx *gorm.DB, actorID int64, action, target, detail string) error {
	entry := AuditEntry{Action: action, Target: target, Detail: detail, CreatedAt: s.clock.Now()}
	if actorID != 0 {
		entry.ActorID = &actorID
	}
	if err := tx.Create(&entry).Error; err != nil {
		return fmt.Errorf("store: unable to write audit log: %w", err)
	}
	return nil
}

// ConsoleAuditEntry is an audit entry with its actor's name and email.
type ConsoleAuditEntry struct {
	AuditEntry
	ActorName  string
	ActorEmail string
}

// AuditPage lists audit entries newest first, limit at a time. before is
// the keyset cursor: only entries with a smaller id (0 for the first page).
// next is the cursor of the following page, 0 when there is none.
func (s *Store) AuditPage(ctx context.Context, before int64, limit int) (entries []ConsoleAuditEntry, next int64, err error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	q := db.Table("audit_log a").
		Select("a.*, COALESCE(u.full_name, '') AS actor_name, COALESCE(u.email, '') AS actor_email").
		Joins("LEFT JOIN users u ON u.id = a.actor_id")
	if before > 0 {
		q = q.Where("a.id < ?", before)
	}
	if err := q.Order("a.id DESC").Limit(limit + 1).Scan(&entries).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to read the audit log: %w", err)
	}
	if len(entries) > limit {
		entries = entries[:limit]
		next = entries[limit-1].ID
	}
	return entries, next, nil
}

// Audit targets name what an action changed, like "course:international-relations".
func courseTarget(c *Course) string { return "course:" + c.Slug }

func readingTarget(c *Course, r *Reading) string { return "reading:" + c.Slug + "/" + r.Slug }

func cohortTarget(c *Course, id int64) string {
	return "cohort:" + c.Slug + "/" + strconv.FormatInt(id, 10)
}

func userTarget(u *User) string { return "user:" + u.Email }

func enrollmentTarget(c *Course, e *Enrollment) string {
	return "enrollment:" + c.Slug + "/" + strconv.FormatInt(e.ID, 10)
}
