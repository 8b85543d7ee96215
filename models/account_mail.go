package models

import (
	"fmt"
	"regexp"
	"strconv"

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

// queueAccountMail writes a message about the person's account, to
// address (their current one, or a new one they are confirming), in tx.
func (s *Store) queueAccountMail(tx *gorm.DB, u *User, address, kind, key, subject, body string) error {
	m := s.newQueuedMail(kind, key, address, u.FullName, subject, body)
	m.UserID = &u.ID
	_, err := queueMail(tx, []queuedMail{m})
	return err
}

// tokenKey makes a dedupe key unique per link without revealing it.
func tokenKey(kind string, userID int64, secret string) string {
	return kind + ":" + strconv.FormatInt(userID, 10) + ":" + sessionID(secret)[:16]
}

func (s *Store) queueWelcomeMail(tx *gorm.DB, u *User, link string) error {
	return s.queueAccountMail(tx, u, u.Email, MailVerifyEmail, tokenKey(MailVerifyEmail, u.ID, link),
		"Welcome! Please confirm your email address",
		"Welcome! Your account is ready and you can start right away.\n\n"+
			"Please confirm that this is your email address by opening this link:\n"+link+"\n\n"+
			"The link works once, for 7 days. Until you confirm, we send you only the mail you ask for, and no reminders.\n")
}

func (s *Store) queueVerificationMail(tx *gorm.DB, u *User, link string) error {
	return s.queueAccountMail(tx, u, u.Email, MailVerifyEmail, tokenKey(MailVerifyEmail, u.ID, link),
		"Please confirm your email address",
		"Please confirm that this is your email address by opening this link:\n"+link+"\n\n"+
			"The link works once, for 7 days; it replaces any link we sent before.\n")
}

func (s *Store) queueResetMail(tx *gorm.DB, u *User, link string) error {
	return s.queueAccountMail(tx, u, u.Email, MailPasswordReset, tokenKey(MailPasswordReset, u.ID, link),
		"Reset your password",
		"Someone (we hope you) asked to reset the password of your account.\n\n"+
			"To choose a new password, open this link within one hour:\n"+link+"\n\n"+
			"The link works once; it replaces any reset link we sent before. "+
			"If you did not ask for it, ignore this message: your password stays as it is.\n")
}

func (s *Store) queueEmailChangeMail(tx *gorm.DB, u *User, newEmail, link string) error {
	return s.queueAccountMail(tx, u, newEmail, MailEmailChange, tokenKey(MailEmailChange, u.ID, link),
		"Confirm your new email address",
		"You asked to use this address ("+newEmail+") for your account instead of "+u.Email+".\n\n"+
			"To confirm, open this link within 24 hours:\n"+link+"\n\n"+
			"Until you do, your account keeps its current address. If you did not ask for this, ignore this message.\n")
}

func (s *Store) queueEmailChangedNotice(tx *gorm.DB, u *User, oldEmail, newEmail string) error {
	key := fmt.Sprintf("%s:%d:%s", MailEmailChanged, u.ID, s.clock.Now().Format("20060102T150405.000000"))
	return s.queueAccountMail(tx, u, oldEmail, MailEmailChanged, key,
		"Your email address was changed",
		"The email address of your account was changed from "+oldEmail+" to "+newEmail+
			", confirmed from the new address.\n\n"+
			"We will write to the new address from now on. If you did not make this change, reply to this message "+
			"or contact the course team at once.\n")
}

func (s *Store) queuePasswordChangedNotice(tx *gorm.DB, u *User, how string) error {
	key := fmt.Sprintf("%s:%d:%s", MailPasswordChanged, u.ID, s.clock.Now().Format("20060102T150405.000000"))
	return s.queueAccountMail(tx, u, u.Email, MailPasswordChanged, key,
		"Your password was changed",
		"The password of your account was "+how+", and every session signed in with the old one was ended.\n\n"+
			"If you did not do this, reset your password at once with \"Forgot your password?\" on the login page, "+
			"and contact the course team.\n")
}
