package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"
)

// Name correction states.
const (
	CorrectionPending  = "pending"
	CorrectionApproved = "approved"
	CorrectionRefused  = "refused"
)

// NameCorrection is a holder's request to print another name on an issued
// certificate. Approval reissues the certificate: same code and page, the
// new name, a newly signed credential, and the previous credential revoked.
type NameCorrection struct {
	ID            int64
	CertificateID int64
	RequestedBy   *int64
	OldName       string
	FullName      string
	Reason        string
	Status        string
	CreatedAt     time.Time
	DecidedAt     *time.Time
	DecidedBy     *int64
}

// RequestNameCorrection asks staff to correct the name on the holder's
// certificate.
func (s *Store) RequestNameCorrection(ctx context.Context, holder *User, cert *Certificate, fullName, reason string) (*NameCorrection, error) {
	reason = strings.TrimSpace(reason)
	switch {
	case holder == nil || cert.UserID != holder.ID:
		return nil, ErrNotHolder
	case cert.Revoked():
		return nil, ErrCertificateRevoke
	}
	fullName, err := correctedName(fullName, cert)
	if err = joinInvalid(err, validateCorrectionReason(reason)); err != nil {
		return nil, err
	}
	nc := &NameCorrection{CertificateID: cert.ID, RequestedBy: &holder.ID, OldName: cert.RecipientName,
		FullName: fullName, Reason: reason, Status: CorrectionPending, CreatedAt: s.clock.Now()}
	db, cancel := s.conn(ctx)
	defer cancel()
	if err := db.Create(nc).Error; err != nil {
		if isUniqueViolation(err) {
			return nil, ErrCorrectionPending
		}
		return nil, fmt.Errorf("store: unable to request name correction: %w", err)
	}
	return nc, nil
}

// correctedName checks the name a holder asks for and normalises it.
// It is checked as typed: collapsing white space first would hide some
// control characters (U+0085 counts as a space).
func correctedName(fullName string, cert *Certificate) (string, error) {
	if err := ValidateName(fullName); err != nil {
		return fullName, err
	}
	fullName = NormalizeName(fullName)
	if fullName == cert.RecipientName {
		return fullName, Invalid("full_name", "This is the name the certificate already shows.")
	}
	return fullName, nil
}

// validateCorrectionReason checks the holder's (trimmed) reason.
func validateCorrectionReason(reason string) error {
	switch {
	case reason == "":
		return Invalid("reason", "Please say why the name should change (for example, a misspelling).")
	case utf8.RuneCountInString(reason) > 1000:
		return Invalid("reason", "The reason is too long (1000 characters at most).")
	}
	return nil
}

// PendingNameCorrection is the open request of a certificate, or nil.
func (s *Store) PendingNameCorrection(ctx context.Context, certID int64) (*NameCorrection, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var nc NameCorrection
	err := db.Where("certificate_id = ? AND status = ?", certID, CorrectionPending).Take(&nc).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to read name correction: %w", err)
	}
	return &nc, nil
}

// NameCorrectionRow is a pending request as the console lists it.
type NameCorrectionRow struct {
	NameCorrection
	Code        string
	CourseTitle string
	CourseSlug  string
}

// PendingNameCorrections lists, oldest first, the open requests a person may
// decide: all for admins, those of their courses for instructors.
func (s *Store) PendingNameCorrections(ctx context.Context, u *User) ([]NameCorrectionRow, error) {
	if !u.IsStaff() {
		return nil, nil
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	q := db.Table("name_corrections").
		Select("name_corrections.*, certificates.code, certificates.course_title, courses.slug AS course_slug").
		Joins("JOIN certificates ON certificates.id = name_corrections.certificate_id").
		Joins("JOIN courses ON courses.id = certificates.course_id").
		Where("name_corrections.status = ?", CorrectionPending)
	if !u.IsAdmin() {
		q = q.Where("certificates.course_id IN (SELECT course_id FROM course_instructors WHERE user_id = ?)", u.ID)
	}
	var rows []NameCorrectionRow
	if err := q.Order("name_corrections.id").Limit(200).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to list name corrections: %w", err)
	}
	return rows, nil
}

// DecideNameCorrection approves or refuses a request, as an admin or an
// instructor of the certificate's course. Approval reissues the
// certificate in the same transaction: the new name, the reissue date, the
// bits of its earlier credentials set, and a fresh status index for the
// new credential.
func (s *Store) DecideNameCorrection(ctx context.Context, actor *User, id int64, approve bool) (*Certificate, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var nc NameCorrection
	if err := db.Take(&nc, id).Error; err != nil {
		return nil, notFound(err)
	}
	var cert Certificate
	if err := db.Take(&cert, nc.CertificateID).Error; err != nil {
		return nil, notFound(err)
	}
	if ok, err := s.CanManageCourse(ctx, actor, cert.CourseID); err != nil || !ok {
		if err != nil {
			return nil, err
		}
		return nil, ErrNotFound
	}
	now := s.clock.Now()
	status, action := CorrectionRefused, "certificate.name_correction.refuse"
	if approve {
		status, action = CorrectionApproved, "certificate.name_correction.approve"
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		if err := s.lockCertificate(tx, cert.ID); err != nil {
			return err
		}
		if err := tx.Take(&cert, cert.ID).Error; err != nil {
			return fmt.Errorf("store: unable to read certificate: %w", err)
		}
		res := tx.Model(&NameCorrection{}).Where("id = ? AND status = ?", id, CorrectionPending).
			Updates(map[string]any{"status": status, "decided_at": now, "decided_by": actor.ID})
		if res.Error != nil {
			return fmt.Errorf("store: unable to decide name correction: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrCorrectionDecided
		}
		if approve {
			if err := s.reissueCertificate(tx, &cert, nc.FullName, now); err != nil {
				return err
			}
		}
		return s.audit(tx, actor.ID, action, cert.Code, nc.OldName+" → "+nc.FullName)
	})
	if err != nil {
		return nil, err
	}
	return &cert, nil
}

// reissueCertificate prints a corrected name on a certificate and gives it
// a new credential, revoking the earlier ones.
func (s *Store) reissueCertificate(tx *gorm.DB, cert *Certificate, name string, now time.Time) error {
	if cert.Revoked() {
		return ErrCertificateRevoke
	}
	err := tx.Model(&Certificate{}).Where("id = ?", cert.ID).
		Updates(map[string]any{"recipient_name": name, "reissued_at": now}).Error
	if err != nil {
		return fmt.Errorf("store: unable to reissue certificate: %w", err)
	}
	if err := revokeStatuses(tx, cert.ID, now); err != nil {
		return err
	}
	cert.RecipientName, cert.ReissuedAt = name, &now
	return s.allocateStatus(tx, cert, now)
}
