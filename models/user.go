package models

import (
	"context"
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"courseportal/views/i18n"

	"gorm.io/gorm"
)

// Roles a person can hold.
const (
	RoleStudent    = "student"
	RoleInstructor = "instructor"
	RoleAdmin      = "admin"
)

// Password length limits; the upper one keeps hashing cost bounded.
const (
	MinPasswordLength = 8
	MaxPasswordLength = 256
)

// User is a person with an account.
type User struct {
	ID              int64
	Email           string
	FullName        string
	PasswordHash    string `json:"-"`
	Role            string
	RemindersOptOut bool
	DisabledAt      *time.Time
	// MFAEnabledAt is when the person turned on a second factor; nil if off.
	MFAEnabledAt *time.Time `gorm:"column:mfa_enabled_at"`
	// EmailVerifiedAt is when the person opened a link mailed to their
	// current address; nil until then. Reminders wait for it.
	EmailVerifiedAt *time.Time
	// ErasedAt is when the person deleted their account; the row stays,
	// anonymised, so course statistics keep their shape.
	ErasedAt *time.Time
	// Language is the interface language the person chose ("fa-AF"); empty
	// lets the browser's Accept-Language decide.
	Language  string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// userColumns are the users table's columns read into a User, on users u,
// in the order of User.columns.
const userColumns = `u.id, u.email, u.full_name, u.password_hash, u.role, u.reminders_opt_out, u.disabled_at,
  u.mfa_enabled_at, u.email_verified_at, u.erased_at, u.language, u.created_at, u.updated_at`

// columns are where rows.Scan puts userColumns.
func (u *User) columns() []any {
	return []any{&u.ID, &u.Email, &u.FullName, &u.PasswordHash, &u.Role, &u.RemindersOptOut, &u.DisabledAt,
		&u.MFAEnabledAt, &u.EmailVerifiedAt, &u.ErasedAt, &u.Language, &u.CreatedAt, &u.UpdatedAt}
}

// Verified reports whether the person confirmed their current address.
func (u *User) Verified() bool { return u != nil && u.EmailVerifiedAt != nil }

// IsAdmin reports whether the user administers the whole portal.
func (u *User) IsAdmin() bool { return u != nil && u.Role == RoleAdmin }

// HasMFA reports whether the user signs in with a second factor.
func (u *User) HasMFA() bool { return u != nil && u.MFAEnabledAt != nil }

// IsStaff reports whether the user may open the console.
func (u *User) IsStaff() bool { return u != nil && (u.Role == RoleAdmin || u.Role == RoleInstructor) }

// NewAccount is what a sign-up form submits.
type NewAccount struct {
	FullName string
	Email    string
	Password string
	Role     string
	// Language is the interface language the person signed up in; mail
	// is written in it.
	Language string
}

// NormalizeEmail trims and lower-cases an address for storage and look-up.
func NormalizeEmail(email string) string { return strings.ToLower(strings.TrimSpace(email)) }

// Validate checks every account field, reporting all that are invalid at
// once, and normalises them in place.
func (a *NewAccount) Validate() error {
	// Checked as typed, then normalised: collapsing white space first
	// would hide some control characters (U+0085 counts as a space).
	nameErr := ValidateName(a.FullName)
	if nameErr == nil {
		a.FullName = NormalizeName(a.FullName)
		nameErr = ValidateName(a.FullName)
	}
	a.Email = NormalizeEmail(a.Email)
	return joinInvalid(nameErr, ValidateEmail(a.Email), ValidatePassword(a.Password, a.Email, a.FullName))
}

// ValidateEmail checks an already normalised email address.
func ValidateEmail(email string) error {
	switch {
	case email == "":
		return Invalid("email", "Please enter your email address.")
	case len(email) > 254 || !utf8.ValidString(email) || strings.ContainsAny(email, "\x00 <>\"'"):
		return Invalid("email", "Please enter a valid email address.")
	}
	addr, err := mail.ParseAddress(email)
	if err != nil || addr.Address != email || !strings.Contains(email[strings.LastIndexByte(email, '@')+1:], ".") {
		return Invalid("email", "Please enter a valid email address, like name@example.org.")
	}
	return nil
}

// CreateUser validates and stores a new account with a hashed password.
func (s *Store) CreateUser(ctx context.Context, a NewAccount) (*User, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(ctx, a.Password)
	if err != nil {
		return nil, err
	}
	return s.insertUser(ctx, s.db, a, hash)
}

func (s *Store) insertUser(ctx context.Context, db *gorm.DB, a NewAccount, hash string) (*User, error) {
	role := a.Role
	if role == "" {
		role = RoleStudent
	}
	now := s.clock.Now()
	lang := ""
	if loc, ok := s.langs.Lookup(a.Language); ok && loc.Code() != i18n.Default {
		lang = loc.Code()
	}
	u := &User{Email: a.Email, FullName: a.FullName, PasswordHash: hash, Role: role, Language: lang,
		CreatedAt: now, UpdatedAt: now}
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	if err := db.WithContext(ctx).Create(u).Error; err != nil {
		if isUniqueViolation(err) {
			return nil, ErrEmailTaken
		}
		return nil, fmt.Errorf("store: unable to create user: %w", err)
	}
	return u, nil
}

// UserByEmail finds an account by email, ignoring case.
func (s *Store) UserByEmail(ctx context.Context, email string) (*User, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var u User
	err := db.Where("lower(email) = ?", NormalizeEmail(email)).Take(&u).Error
	if err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// UserByID finds an account by id.
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var u User
	if err := db.Take(&u, id).Error; err != nil {
		return nil, notFound(err)
	}
	return &u, nil
}

// Authenticate checks an email and password pair.
func (s *Store) Authenticate(ctx context.Context, email, password string) (*User, error) {
	u, err := s.UserByEmail(ctx, email)
	if err == ErrNotFound {
		// Spend the same time as a real check so timing does not reveal
		// accounts, and fail the same way when no hashing slot is free.
		if err := burnPasswordCheck(ctx, password); err != nil {
			return nil, err
		}
		s.events.LoginFailed()
		return nil, ErrInvalidLogin
	}
	if err != nil {
		return nil, err
	}
	ok, err := CheckPassword(ctx, u.PasswordHash, password)
	if err != nil {
		return nil, err
	}
	if !ok {
		s.events.LoginFailed()
		return nil, ErrInvalidLogin
	}
	if u.DisabledAt != nil {
		return nil, ErrAccountDisabled
	}
	return u, nil
}
