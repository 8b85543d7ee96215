package models

import (
	"context"
	"fmt"
	"strings"
)

// CertificateFilter narrows the console's certificate list.
type CertificateFilter struct {
	// Query matches part of the recipient's name or the code.
	Query string
	// Status is "valid", "revoked" or empty for both.
	Status string
	// Before is the keyset cursor: only certificates with a smaller id.
	Before int64
	Limit  int
}

// ConsoleCertificate is a certificate with its course's slug.
type ConsoleCertificate struct {
	Certificate
	CourseSlug string
}

// CertificatesFor lists, newest first, the certificates a person may manage:
// all for admins, those of their courses for instructors. next is the cursor
// of the following page, 0 when there is none.
func (s *Store) CertificatesFor(ctx context.Context, u *User, f CertificateFilter) (rows []ConsoleCertificate, next int64, err error) {
	if !u.IsStaff() {
		return nil, 0, nil
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	q := db.Table("certificates").Select("certificates.*, courses.slug AS course_slug").
		Joins("JOIN courses ON courses.id = certificates.course_id")
	if !u.IsAdmin() {
		q = q.Where("certificates.course_id IN (SELECT course_id FROM course_instructors WHERE user_id = ?)", u.ID)
	}
	if query := strings.TrimSpace(f.Query); query != "" {
		p := likePattern(query)
		code := likePattern(strings.ReplaceAll(query, "-", ""))
		q = q.Where(`(lower(certificates.recipient_name) LIKE ? ESCAPE '\' OR lower(replace(certificates.code, '-', '')) LIKE ? ESCAPE '\')`, p, code)
	}
	switch f.Status {
	case "valid":
		q = q.Where("certificates.revoked_at IS NULL")
	case "revoked":
		q = q.Where("certificates.revoked_at IS NOT NULL")
	}
	if f.Before > 0 {
		q = q.Where("certificates.id < ?", f.Before)
	}
	if err := q.Order("certificates.id DESC").Limit(f.Limit + 1).Scan(&rows).Error; err != nil {
		return nil, 0, fmt.Errorf("store: unable to list certificates: %w", err)
	}
	if len(rows) > f.Limit {
		rows = rows[:f.Limit]
		next = rows[f.Limit-1].ID
	}
	return rows, next, nil
}
