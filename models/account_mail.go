package models

import (
	"fmt"
	"regexp"
	"strconv"

	"courseportal/views/i18n"

	"gorm.io/gorm"
)

// Kinds of the account mails. They are mail the person asked for (or must
// hear about for their account's safety), so they go to unconfirmed
// addresses too.
const (
	MailVerifyEmail     = "verify-email"
	MailPasswordReset   = "password-reset"
	MailEmailChange     = "email-change"
	MailEmailChanged    = "email-changed"
	MailPasswordChanged = "password-changed"
)

// secretLinks matches the single-use links inside mail bodies. The outbox
// keeps a message as sent, so anyone reading it (the console, the person's
// data export) sees these links masked: they would give an account away.
var secretLinks = regexp.MustCompile(`(/password/reset/|/verify-email/)[A-Za-z0-9_-]+`)

// MaskSecretLinks hides the tokens of single-use links in a mail body.
func MaskSecretLinks(body string) string {
	return secretLinks.ReplaceAllString(body, "${1}…")
}

// queueAccountMail writes a message about the person's account, in their
// language, to address (their current one, or a new one they are
// confirming), in tx.
func (s *Store) queueAccountMail(tx *gorm.DB, u *User, address, kind, key string, text mailText) error {
	loc := s.localizer(u)
	subject, body := text(loc)
	m := s.newQueuedMail(loc, kind, key, address, u.FullName, subject, body)
	m.UserID = &u.ID
	_, err := queueMail(tx, []queuedMail{m})
	return err
}

// tokenKey makes a dedupe key unique per link without revealing it.
func tokenKey(kind string, userID int64, secret string) string {
	return kind + ":" + strconv.FormatInt(userID, 10) + ":" + sessionID(secret)[:16]
}

// accountMail is a message whose subject and body are the catalogue's
// "mail.<name>.subject" and "mail.<name>.body", filled from pairs.
func accountMail(name string, pairs ...any) mailText {
	return func(loc *i18n.Localizer) (string, string) {
		return loc.T("mail."+name+".subject", pairs...), loc.T("mail."+name+".body", pairs...) + "\n"
	}
}

func (s *Store) queueWelcomeMail(tx *gorm.DB, u *User, link string) error {
	return s.queueAccountMail(tx, u, u.Email, MailVerifyEmail, tokenKey(MailVerifyEmail, u.ID, link),
		accountMail("welcome", "Link", link))
}

func (s *Store) queueVerificationMail(tx *gorm.DB, u *User, link string) error {
	return s.queueAccountMail(tx, u, u.Email, MailVerifyEmail, tokenKey(MailVerifyEmail, u.ID, link),
		accountMail("verify", "Link", link))
}

func (s *Store) queueResetMail(tx *gorm.DB, u *User, link string) error {
	return s.queueAccountMail(tx, u, u.Email, MailPasswordReset, tokenKey(MailPasswordReset, u.ID, link),
		accountMail("reset", "Link", link))
}

func (s *Store) queueEmailChangeMail(tx *gorm.DB, u *User, newEmail, link string) error {
	return s.queueAccountMail(tx, u, newEmail, MailEmailChange, tokenKey(MailEmailChange, u.ID, link),
		accountMail("email_change", "New", newEmail, "Old", u.Email, "Link", link))
}

func (s *Store) queueEmailChangedNotice(tx *gorm.DB, u *User, oldEmail, newEmail string) error {
	key := fmt.Sprintf("%s:%d:%s", MailEmailChanged, u.ID, s.clock.Now().Format("20060102T150405.000000"))
	return s.queueAccountMail(tx, u, oldEmail, MailEmailChanged, key,
		accountMail("email_changed", "Old", oldEmail, "New", newEmail))
}

// queuePasswordChangedNotice tells the person their password was changed
// on the account page (a reset by link says so on the page instead).
func (s *Store) queuePasswordChangedNotice(tx *gorm.DB, u *User) error {
	key := fmt.Sprintf("%s:%d:%s", MailPasswordChanged, u.ID, s.clock.Now().Format("20060102T150405.000000"))
	return s.queueAccountMail(tx, u, u.Email, MailPasswordChanged, key, accountMail("password_changed"))
}
