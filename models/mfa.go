package models

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/hotp"
	"github.com/pquerna/otp/totp"
	"gorm.io/gorm"
)

// The second factor is TOTP as RFC 6238 defines it and authenticator apps
// expect: HMAC-SHA-1, six digits, 30-second steps, one step of clock drift
// accepted either way.
const (
	totpPeriod = 30
	totpSkew   = 1
	// RecoveryCodeCount is how many single-use recovery codes enrolment gives.
	RecoveryCodeCount = 10
	// recoveryCodeBytes is 80 random bits per code: stored as a plain SHA-256,
	// that is still beyond guessing from a leaked table.
	recoveryCodeBytes = 10
)

// MFASecret is a person's TOTP secret; ConfirmedAt is nil while enrolment
// waits for the first code.
type MFASecret struct {
	UserID      int64 `gorm:"primaryKey;autoIncrement:false"`
	Secret      string
	ConfirmedAt *time.Time
	// LastStep is the last time step a code was accepted for; a code of that
	// step or an earlier one is refused, so every code works once.
	LastStep  int64
	CreatedAt time.Time
}

// TableName pins the table name.
func (MFASecret) TableName() string { return "mfa_secrets" }

// RecoveryCode is one single-use recovery code, kept only as its hash.
type RecoveryCode struct {
	ID       int64
	UserID   int64
	CodeHash string
	UsedAt   *time.Time
}

// TableName pins the table name.
func (RecoveryCode) TableName() string { return "mfa_recovery_codes" }

// MFAKey is what an authenticator app needs: the secret in base32 and the
// otpauth:// URL the QR code carries.
type MFAKey struct {
	Secret string
	URL    string
}

var b32 = base32.StdEncoding.WithPadding(base32.NoPadding)

// BeginMFAEnrolment returns the pending secret of a person enrolling,
// creating it on the first visit, so reloading the page shows the same QR
// code. issuer names the portal in the authenticator app.
func (s *Store) BeginMFAEnrolment(ctx context.Context, u *User, issuer string) (*MFAKey, error) {
	if u.MFAEnabledAt != nil {
		return nil, ErrMFAAlreadyOn
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	var row MFASecret
	err := db.Where("user_id = ? AND confirmed_at IS NULL", u.ID).Take(&row).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		raw := make([]byte, 20)
		if _, err := rand.Read(raw); err != nil {
			return nil, fmt.Errorf("mfa: unable to read random bytes: %w", err)
		}
		row = MFASecret{UserID: u.ID, Secret: b32.EncodeToString(raw), CreatedAt: s.clock.Now()}
		// A confirmed row left over from a factor turned off is replaced.
		err = db.Where("user_id = ?", u.ID).Delete(&MFASecret{}).Error
		if err == nil {
			err = db.Create(&row).Error
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: unable to prepare second factor: %w", err)
	}
	return mfaKey(row.Secret, issuer, u.Email)
}

func mfaKey(secret, issuer, account string) (*MFAKey, error) {
	raw, err := b32.DecodeString(secret)
	if err != nil {
		return nil, fmt.Errorf("mfa: stored secret is not base32: %w", err)
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: issuer, AccountName: account, Secret: raw, Period: totpPeriod})
	if err != nil {
		return nil, fmt.Errorf("mfa: unable to build key: %w", err)
	}
	return &MFAKey{Secret: key.Secret(), URL: key.URL()}, nil
}

// ConfirmMFAEnrolment turns the second factor on once the person typed a
// valid code from the app, and returns the recovery codes, in clear for the
// only time.
func (s *Store) ConfirmMFAEnrolment(ctx context.Context, u *User, code string) ([]string, error) {
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	err = s.tx(ctx, func(tx *gorm.DB) error {
		var row MFASecret
		if err := tx.Where("user_id = ? AND confirmed_at IS NULL", u.ID).Take(&row).Error; err != nil {
			return notFound(err)
		}
		step, ok := matchTOTP(row.Secret, code, now)
		if !ok {
			return ErrMFACodeInvalid
		}
		res := tx.Model(&MFASecret{}).Where("user_id = ? AND confirmed_at IS NULL", u.ID).
			Updates(map[string]any{"confirmed_at": now, "last_step": step})
		if res.Error != nil {
			return fmt.Errorf("store: unable to confirm second factor: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			return ErrMFAAlreadyOn
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("mfa_enabled_at", now).Error; err != nil {
			return fmt.Errorf("store: unable to turn on second factor: %w", err)
		}
		if err := replaceRecoveryCodes(tx, u.ID, hashes); err != nil {
			return err
		}
		return s.audit(tx, u.ID, "mfa.enable", userTarget(u), "")
	})
	if err != nil {
		return nil, err
	}
	u.MFAEnabledAt = &now
	return codes, nil
}

// RegenerateRecoveryCodes replaces a person's recovery codes; the old ones
// stop working.
func (s *Store) RegenerateRecoveryCodes(ctx context.Context, u *User) ([]string, error) {
	if u.MFAEnabledAt == nil {
		return nil, ErrMFANotOn
	}
	codes, hashes, err := newRecoveryCodes()
	if err != nil {
		return nil, err
	}
	err = s.tx(ctx, func(tx *gorm.DB) error {
		if err := replaceRecoveryCodes(tx, u.ID, hashes); err != nil {
			return err
		}
		return s.audit(tx, u.ID, "mfa.recovery_codes", userTarget(u), "")
	})
	if err != nil {
		return nil, err
	}
	return codes, nil
}

// DisableMFA turns the second factor off. Administrators must keep theirs.
func (s *Store) DisableMFA(ctx context.Context, u *User) error {
	if u.IsAdmin() {
		return ErrMFARequired
	}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		for _, model := range []any{&MFASecret{}, &RecoveryCode{}} {
			if err := tx.Where("user_id = ?", u.ID).Delete(model).Error; err != nil {
				return fmt.Errorf("store: unable to remove second factor: %w", err)
			}
		}
		if err := tx.Model(&User{}).Where("id = ?", u.ID).Update("mfa_enabled_at", nil).Error; err != nil {
			return fmt.Errorf("store: unable to turn off second factor: %w", err)
		}
		return s.audit(tx, u.ID, "mfa.disable", userTarget(u), "")
	})
	if err == nil {
		u.MFAEnabledAt = nil
	}
	return err
}

// RecoveryCodesLeft counts a person's unused recovery codes.
func (s *Store) RecoveryCodesLeft(ctx context.Context, userID int64) (int64, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var n int64
	if err := db.Model(&RecoveryCode{}).Where("user_id = ? AND used_at IS NULL", userID).Count(&n).Error; err != nil {
		return 0, fmt.Errorf("store: unable to count recovery codes: %w", err)
	}
	return n, nil
}

// CheckSecondFactor accepts a current TOTP code not used before, or an
// unused recovery code (which is then spent). Exactly one of code and
// recoveryCode is expected; it returns ErrMFACodeInvalid otherwise.
func (s *Store) CheckSecondFactor(ctx context.Context, userID int64, code, recoveryCode string) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	now := s.clock.Now()
	if recoveryCode != "" {
		res := db.Model(&RecoveryCode{}).
			Where("user_id = ? AND code_hash = ? AND used_at IS NULL", userID, HashRecoveryCode(recoveryCode)).
			Update("used_at", now)
		if res.Error != nil {
			return fmt.Errorf("store: unable to spend recovery code: %w", res.Error)
		}
		if res.RowsAffected != 1 {
			return ErrMFACodeInvalid
		}
		return nil
	}
	var row MFASecret
	if err := db.Where("user_id = ? AND confirmed_at IS NOT NULL", userID).Take(&row).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return ErrMFACodeInvalid
		}
		return fmt.Errorf("store: unable to read second factor: %w", err)
	}
	step, ok := matchTOTP(row.Secret, code, now)
	if !ok {
		return ErrMFACodeInvalid
	}
	// The conditional update makes the check and the spending one step, so
	// two requests racing with the same code cannot both pass.
	res := db.Model(&MFASecret{}).Where("user_id = ? AND last_step < ?", userID, step).Update("last_step", step)
	if res.Error != nil {
		return fmt.Errorf("store: unable to record code use: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return ErrMFACodeReused
	}
	return nil
}

// matchTOTP finds the time step whose code equals code, within the allowed
// drift, comparing in constant time.
func matchTOTP(secret, code string, now time.Time) (int64, bool) {
	code = strings.TrimSpace(strings.ReplaceAll(code, " ", ""))
	if len(code) != 6 {
		return 0, false
	}
	opts := hotp.ValidateOpts{Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1}
	current := now.Unix() / totpPeriod
	for step := current - totpSkew; step <= current+totpSkew; step++ {
		want, err := hotp.GenerateCodeCustom(secret, uint64(step), opts)
		if err == nil && subtle.ConstantTimeCompare([]byte(want), []byte(code)) == 1 {
			return step, true
		}
	}
	return 0, false
}

// newRecoveryCodes makes RecoveryCodeCount codes like "K7QM-2XDT-4RAB-3CPE"
// and their hashes.
func newRecoveryCodes() (codes, hashes []string, err error) {
	for range RecoveryCodeCount {
		raw := make([]byte, recoveryCodeBytes)
		if _, err := rand.Read(raw); err != nil {
			return nil, nil, fmt.Errorf("mfa: unable to read random bytes: %w", err)
		}
		s := b32.EncodeToString(raw)
		code := s[0:4] + "-" + s[4:8] + "-" + s[8:12] + "-" + s[12:16]
		codes = append(codes, code)
		hashes = append(hashes, HashRecoveryCode(code))
	}
	return codes, hashes, nil
}

// HashRecoveryCode is how a recovery code is stored: the SHA-256 of the
// code as typed, ignoring case, spaces and dashes.
func HashRecoveryCode(code string) string {
	clean := strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(code))
	sum := sha256.Sum256([]byte(clean))
	return hex.EncodeToString(sum[:])
}

func replaceRecoveryCodes(tx *gorm.DB, userID int64, hashes []string) error {
	if err := tx.Where("user_id = ?", userID).Delete(&RecoveryCode{}).Error; err != nil {
		return fmt.Errorf("store: unable to remove recovery codes: %w", err)
	}
	rows := make([]RecoveryCode, len(hashes))
	for i, h := range hashes {
		rows[i] = RecoveryCode{UserID: userID, CodeHash: h}
	}
	if err := tx.Create(&rows).Error; err != nil {
		return fmt.Errorf("store: unable to store recovery codes: %w", err)
	}
	return nil
}
