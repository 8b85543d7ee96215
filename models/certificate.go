package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"courseportal/models/certcode"

	"gorm.io/gorm"
)

// Certificate states that a person completed a course. It keeps a snapshot of
// what it certifies, so later edits to names or titles do not change it.
type Certificate struct {
	ID             int64
	Code           string
	EnrollmentID   int64
	UserID         int64
	CourseID       int64
	RecipientName  string
	CourseTitle    string
	CourseSubtitle string
	CohortName     string
	IssuerName     string
	// Criteria states the rule the holder met, as it stood at issue.
	Criteria      string
	CompletedAt   time.Time
	IssuedAt      time.Time
	RevokedAt     *time.Time
	RevokedReason string
	RevokedBy     *int64
	// StatusList and StatusIndex place the current signed credential in a
	// revocation status list; nil only for certificates issued before lists
	// existed, until their credential is first downloaded.
	StatusList  *int
	StatusIndex *int
	// ReissuedAt is when a name correction last reissued the certificate.
	ReissuedAt *time.Time
}

// CredentialIssuedAt is when the current credential was signed: the issue,
// or the latest reissue.
func (c *Certificate) CredentialIssuedAt() time.Time {
	if c.ReissuedAt != nil {
		return *c.ReissuedAt
	}
	return c.IssuedAt
}

// Revoked reports whether the certificate was withdrawn.
func (c *Certificate) Revoked() bool { return c.RevokedAt != nil }

// WithdrawnByHolder is the revocation reason of the certificates of a
// person who erased their account.
const WithdrawnByHolder = "withdrawn at the holder's request"

// WithdrawnByHolder reports whether the holder's erasure revoked it.
func (c *Certificate) WithdrawnByHolder() bool {
	return c.Revoked() && c.RevokedReason == WithdrawnByHolder
}

// issueCertificate issues the certificate of a completed enrollment, with
// the rule the person met (criteria) as it stands now.
func (s *Store) issueCertificate(tx *gorm.DB, a *Access, now time.Time, criteria string) (*Certificate, error) {
	var user User
	if err := tx.Select("id, full_name").Take(&user, a.Enrollment.UserID).Error; err != nil {
		return nil, fmt.Errorf("store: unable to load recipient: %w", err)
	}
	var cohort Cohort
	if err := tx.Select("id, name").Take(&cohort, a.Enrollment.CohortID).Error; err != nil {
		return nil, fmt.Errorf("store: unable to load cohort: %w", err)
	}
	code, err := certcode.New()
	if err != nil {
		return nil, err
	}
	cert := &Certificate{Code: code, EnrollmentID: a.Enrollment.ID, UserID: user.ID, CourseID: a.Course.ID,
		RecipientName: user.FullName, CourseTitle: a.Course.Title, CourseSubtitle: a.Course.Subtitle,
		CohortName: cohort.Name, IssuerName: a.Course.Provider, Criteria: criteria, CompletedAt: now, IssuedAt: now}
	if err := tx.Create(cert).Error; err != nil {
		return nil, fmt.Errorf("store: unable to issue certificate: %w", err)
	}
	if err := s.allocateStatus(tx, cert, now); err != nil {
		return nil, err
	}
	return cert, s.enqueueCertificateMail(tx, cert, a.Course)
}

// CertificateByCode finds a certificate by its code, ignoring case, dashes and
// look-alike characters.
func (s *Store) CertificateByCode(ctx context.Context, code string) (*Certificate, error) {
	canonical, ok := certcode.Normalize(code)
	if !ok {
		return nil, ErrNotFound
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	var c Certificate
	if err := db.Where("code = ?", canonical).Take(&c).Error; err != nil {
		return nil, notFound(err)
	}
	return &c, nil
}

// RevokeCertificate withdraws a certificate with a reason.
func (s *Store) RevokeCertificate(ctx context.Context, code string, by int64, reason string) (*Certificate, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return nil, Invalid("reason", "Please give a reason for revoking the certificate.")
	}
	if len(reason) > 1000 {
		return nil, Invalid("reason", "The reason is too long (1000 characters at most).")
	}
	cert, err := s.CertificateByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	if cert.Revoked() {
		return cert, ErrCertificateRevoke
	}
	err = s.tx(ctx, func(tx *gorm.DB) error { return s.revokeCertificate(tx, cert, by, reason) })
	return cert, err
}

// revokeCertificate withdraws a certificate inside tx. Every revocation
// takes this path, staff's and the holder's erasure alike, so a change to
// how revocation is published applies to both.
func (s *Store) revokeCertificate(tx *gorm.DB, cert *Certificate, by int64, reason string) error {
	now := s.clock.Now()
	res := tx.Model(&Certificate{}).Where("id = ? AND revoked_at IS NULL", cert.ID).
		Updates(map[string]any{"revoked_at": now, "revoked_reason": reason, "revoked_by": by})
	if res.Error != nil {
		return fmt.Errorf("store: unable to revoke certificate: %w", res.Error)
	}
	if res.RowsAffected == 0 {
		return ErrCertificateRevoke
	}
	if err := revokeStatuses(tx, cert.ID, now); err != nil {
		return err
	}
	if err := s.audit(tx, by, "certificate.revoke", cert.Code, reason); err != nil {
		return err
	}
	cert.RevokedAt, cert.RevokedReason, cert.RevokedBy = &now, reason, &by
	return nil
}

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
