package models

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"courseportal/models/credential"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// statusListFill is how many entries a status list takes before new
// credentials go to the next list: half of its bits, so a random free index
// is found in a few tries.
const statusListFill = credential.StatusListBits / 2

// CredentialStatus is one signed credential's bit in a revocation status
// list. A certificate gets a new one at issue and at every reissue; setting
// RevokedAt revokes that credential.
type CredentialStatus struct {
	StatusList    int `gorm:"primaryKey;autoIncrement:false"`
	StatusIndex   int `gorm:"primaryKey;autoIncrement:false"`
	CertificateID int64
	CreatedAt     time.Time
	RevokedAt     *time.Time
}

// allocateStatus gives a certificate's new credential a random, unused
// index (random, so that an index says nothing about when or in what order
// credentials were issued) and records it on the certificate.
func (s *Store) allocateStatus(tx *gorm.DB, cert *Certificate, now time.Time) error {
	var list int
	if err := tx.Model(&CredentialStatus{}).Select("COALESCE(MAX(status_list), 1)").Scan(&list).Error; err != nil {
		return fmt.Errorf("store: unable to find the current status list: %w", err)
	}
	var used int64
	if err := tx.Model(&CredentialStatus{}).Where("status_list = ?", list).Count(&used).Error; err != nil {
		return fmt.Errorf("store: unable to count status list entries: %w", err)
	}
	if used >= statusListFill {
		list++
	}
	for range 64 {
		entry := CredentialStatus{StatusList: list, StatusIndex: rand.IntN(credential.StatusListBits),
			CertificateID: cert.ID, CreatedAt: now}
		res := tx.Clauses(clause.OnConflict{DoNothing: true}).Create(&entry)
		if res.Error != nil {
			return fmt.Errorf("store: unable to take a status list index: %w", res.Error)
		}
		if res.RowsAffected == 1 {
			err := tx.Model(&Certificate{}).Where("id = ?", cert.ID).
				Updates(map[string]any{"status_list": list, "status_index": entry.StatusIndex}).Error
			if err != nil {
				return fmt.Errorf("store: unable to record the status index: %w", err)
			}
			cert.StatusList, cert.StatusIndex = &entry.StatusList, &entry.StatusIndex
			return nil
		}
	}
	return errors.New("store: no free status list index after 64 tries")
}

// EnsureCredentialStatus gives a certificate issued before status lists
// existed its index, once; others are returned as they are.
func (s *Store) EnsureCredentialStatus(ctx context.Context, cert *Certificate) error {
	if cert.StatusIndex != nil {
		return nil
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		var current Certificate
		if err := s.lockCertificate(tx, cert.ID); err != nil {
			return err
		}
		if err := tx.Take(&current, cert.ID).Error; err != nil {
			return notFound(err)
		}
		if current.StatusIndex != nil {
			cert.StatusList, cert.StatusIndex = current.StatusList, current.StatusIndex
			return nil
		}
		return s.allocateStatus(tx, cert, s.clock.Now())
	})
	return err
}

// lockCertificate serialises changes to one certificate's credentials.
// SQLite transactions are already exclusive (BEGIN IMMEDIATE), so only
// PostgreSQL needs a row lock.
func (s *Store) lockCertificate(tx *gorm.DB, id int64) error {
	if s.dialect != Postgres {
		return nil
	}
	var got int64
	if err := tx.Raw("SELECT id FROM certificates WHERE id = ? FOR UPDATE", id).Scan(&got).Error; err != nil {
		return fmt.Errorf("store: unable to lock certificate: %w", err)
	}
	return nil
}

// revokeStatuses sets the bits of every credential of a certificate.
func revokeStatuses(tx *gorm.DB, certID int64, now time.Time) error {
	err := tx.Model(&CredentialStatus{}).Where("certificate_id = ? AND revoked_at IS NULL", certID).
		Update("revoked_at", now).Error
	if err != nil {
		return fmt.Errorf("store: unable to revoke credentials: %w", err)
	}
	return nil
}

// StatusListExists reports whether list n has been started (list 1 always
// exists, even empty).
func (s *Store) StatusListExists(ctx context.Context, n int) (bool, error) {
	if n == 1 {
		return true, nil
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	var count int64
	if err := db.Model(&CredentialStatus{}).Where("status_list = ?", n).Limit(1).Count(&count).Error; err != nil {
		return false, fmt.Errorf("store: unable to read status list: %w", err)
	}
	return count > 0, nil
}

// RevokedIndexes lists the set bits of status list n.
func (s *Store) RevokedIndexes(ctx context.Context, n int) ([]int, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var idx []int
	err := db.Model(&CredentialStatus{}).Where("status_list = ? AND revoked_at IS NOT NULL", n).
		Order("status_index").Pluck("status_index", &idx).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to read status list: %w", err)
	}
	return idx, nil
}
