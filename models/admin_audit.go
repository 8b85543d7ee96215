package models

import (
	"context"
	"fmt"
)

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
