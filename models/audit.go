package models

import (
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

func (s *Store) audit(tx *gorm.DB, actorID int64, action, target, detail string) error {
	entry := AuditEntry{ActorID: &actorID, Action: action, Target: target, Detail: detail, CreatedAt: s.clock.Now()}
	if err := tx.Create(&entry).Error; err != nil {
		return fmt.Errorf("store: unable to write audit log: %w", err)
	}
	return nil
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
