package models

import (
	"context"
	"fmt"
	"strconv"

	"gorm.io/gorm"
)

// ErasedName is the name an erased account keeps.
const ErasedName = "Erased account"

// erasedEmail is the address an erased account keeps: unique, and in the
// .invalid domain, which no mail server delivers to.
func erasedEmail(id int64) string { return "erased-" + strconv.FormatInt(id, 10) + "@erased.invalid" }

// EraseAccount deletes a person at their request, in one transaction. What
// identifies them goes: name, email, password, second factor, sessions,
// links, the mail written to them, their name on certificates, in name
// corrections and in the audit log. Live
// enrollments are withdrawn (their seats go to the waitlist), certificates
// are revoked, through the same path as staff revocations, as "withdrawn at
// the holder's request". The account row stays as an anonymous tombstone,
// so enrollments and reading progress, kept for course statistics, still
// point somewhere, and nothing can sign in to it or mail it again. The
// caller has checked the person's password.
func (s *Store) EraseAccount(ctx context.Context, u *User) error {
	// An unusable password: the hash of a secret nobody ever sees.
	secret, err := NewToken()
	if err != nil {
		return err
	}
	hash, err := HashPassword(ctx, secret)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *gorm.DB) error {
		var fresh User
		if err := tx.Take(&fresh, u.ID).Error; err != nil {
			return notFound(err)
		}
		if fresh.ErasedAt != nil {
			return ErrNotFound
		}
		withdrawn, err := s.withdrawAll(tx, fresh.ID)
		if err != nil {
			return err
		}
		revoked, err := s.withdrawCertificates(tx, fresh.ID)
		if err != nil {
			return err
		}
		if err := s.forget(tx, &fresh); err != nil {
			return err
		}
		if err := s.anonymise(tx, &fresh, hash); err != nil {
			return err
		}
		return s.audit(tx, fresh.ID, "account.delete", "user:"+strconv.FormatInt(fresh.ID, 10),
			fmt.Sprintf("erased at the holder's request: %d live enrollments withdrawn, %d certificates withdrawn; progress kept anonymised",
				withdrawn, revoked))
	})
}

// withdrawAll ends the person's live enrollments, handing seats on.
func (s *Store) withdrawAll(tx *gorm.DB, userID int64) (int, error) {
	var live []Enrollment
	err := tx.Where("user_id = ? AND status IN ?", userID, []string{StatusActive, StatusWaitlisted}).Order("id").Find(&live).Error
	if err != nil {
		return 0, fmt.Errorf("store: unable to list enrollments: %w", err)
	}
	for i := range live {
		var course Course
		if err := tx.Take(&course, live[i].CourseID).Error; err != nil {
			return 0, fmt.Errorf("store: unable to load course: %w", err)
		}
		if err := s.endEnrollment(tx, &live[i], &course); err != nil {
			return 0, err
		}
	}
	return len(live), nil
}

// withdrawCertificates revokes the person's certificates and removes their
// name from every one.
func (s *Store) withdrawCertificates(tx *gorm.DB, userID int64) (int, error) {
	var certs []Certificate
	if err := tx.Where("user_id = ?", userID).Order("id").Find(&certs).Error; err != nil {
		return 0, fmt.Errorf("store: unable to list certificates: %w", err)
	}
	revoked := 0
	for i := range certs {
		if certs[i].Revoked() {
			continue
		}
		if err := s.revokeCertificate(tx, &certs[i], userID, WithdrawnByHolder); err != nil {
			return 0, err
		}
		revoked++
	}
	if err := tx.Model(&Certificate{}).Where("user_id = ?", userID).Update("recipient_name", "").Error; err != nil {
		return 0, fmt.Errorf("store: unable to remove names from certificates: %w", err)
	}
	return revoked, nil
}

// forget deletes the rows that exist only for the person, and takes their
// name and address out of the audit log.
func (s *Store) forget(tx *gorm.DB, u *User) error {
	if err := s.scrubAudit(tx, u); err != nil {
		return err
	}
	deletes := []struct {
		what  string
		model any
		where string
		args  []any
	}{
		{"sessions", &Session{}, "user_id = ?", []any{u.ID}},
		{"links", &AccountToken{}, "user_id = ?", []any{u.ID}},
		{"mail", &OutboxEntry{}, "user_id = ? OR lower(to_email) = ?", []any{u.ID, u.Email}},
		{"login failures", &LoginFailure{}, "email = ?", []any{u.Email}},
		{"second factor", &MFASecret{}, "user_id = ?", []any{u.ID}},
		{"recovery codes", &RecoveryCode{}, "user_id = ?", []any{u.ID}},
		{"sign-in challenges", &MFAChallenge{}, "user_id = ?", []any{u.ID}},
		{"second-factor failures", &MFAFailure{}, "user_id = ?", []any{u.ID}},
		{"name corrections", &NameCorrection{}, "certificate_id IN (SELECT id FROM certificates WHERE user_id = ?)", []any{u.ID}},
	}
	for _, d := range deletes {
		if err := tx.Where(d.where, d.args...).Delete(d.model).Error; err != nil {
			return fmt.Errorf("store: unable to erase %s: %w", d.what, err)
		}
	}
	if err := tx.Exec("DELETE FROM course_instructors WHERE user_id = ?", u.ID).Error; err != nil {
		return fmt.Errorf("store: unable to erase teaching assignments: %w", err)
	}
	return nil
}

// scrubAudit replaces the person's address everywhere in the audit log,
// and their names (the account's, and those of name corrections on their
// certificates) in the entries about them or their certificates: elsewhere
// a short name could be part of other words.
func (s *Store) scrubAudit(tx *gorm.DB, u *User) error {
	contains := "instr(%s, ?) > 0"
	if s.dialect == Postgres {
		contains = "strpos(%s, ?) > 0"
	}
	erased := erasedEmail(u.ID)
	err := tx.Exec(`UPDATE audit_log SET target = replace(target, ?, ?), detail = replace(detail, ?, ?) WHERE `+
		fmt.Sprintf(contains, "target")+" OR "+fmt.Sprintf(contains, "detail"),
		u.Email, erased, u.Email, erased, u.Email, u.Email).Error
	if err != nil {
		return fmt.Errorf("store: unable to scrub the audit log: %w", err)
	}
	var codes []string
	if err := tx.Model(&Certificate{}).Where("user_id = ?", u.ID).Pluck("code", &codes).Error; err != nil {
		return fmt.Errorf("store: unable to list certificates: %w", err)
	}
	var corrections []NameCorrection
	err = tx.Where("certificate_id IN (SELECT id FROM certificates WHERE user_id = ?)", u.ID).Find(&corrections).Error
	if err != nil {
		return fmt.Errorf("store: unable to list name corrections: %w", err)
	}
	names := []string{u.FullName}
	for _, nc := range corrections {
		names = append(names, nc.OldName, nc.FullName)
	}
	targets := make([]string, 0, len(codes)+2)
	targets = append(targets, codes...)
	targets = append(targets, "user:"+erased, "user:"+strconv.FormatInt(u.ID, 10))
	for _, name := range names {
		err := tx.Exec("UPDATE audit_log SET detail = replace(detail, ?, ?) WHERE target IN ?", name, ErasedName, targets).Error
		if err != nil {
			return fmt.Errorf("store: unable to scrub the audit log: %w", err)
		}
	}
	return nil
}

// anonymise turns the account row into a tombstone that cannot sign in or
// receive mail.
func (s *Store) anonymise(tx *gorm.DB, u *User, unusableHash string) error {
	now := s.clock.Now()
	err := tx.Model(&User{}).Where("id = ?", u.ID).Updates(map[string]any{
		"email": erasedEmail(u.ID), "full_name": ErasedName, "password_hash": unusableHash, "role": RoleStudent,
		"reminders_opt_out": true, "email_verified_at": nil, "mfa_enabled_at": nil, "disabled_at": now, "erased_at": now,
		"updated_at": now,
	}).Error
	if err != nil {
		return fmt.Errorf("store: unable to anonymise account: %w", err)
	}
	return nil
}
