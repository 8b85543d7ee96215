package models

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/trustelem/zxcvbn"
	"golang.org/x/text/unicode/norm"
)

// NormalizeName collapses runs of white space to one space and composes the
// name (NFC), so one spelling is stored one way whatever keyboard typed it.
func NormalizeName(name string) string {
	return norm.NFC.String(strings.Join(strings.Fields(name), " "))
}

// ValidateName checks a person's full name. Control characters would rewrite
// a terminal that prints the name (the offline verifier), and bidi embedding,
// override and isolate controls would reorder the text around it on every
// page; both are refused. Zero-width (non-)joiners stay: Persian and Pashto
// spelling needs them.
func ValidateName(name string) error {
	switch {
	case strings.TrimSpace(name) == "":
		return Invalid("full_name", "Please enter your full name.")
	case !utf8.ValidString(name):
		return Invalid("full_name", "The name contains characters that are not allowed.")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return Invalid("full_name", "The name contains control characters (such as tabs, line breaks or escape codes), which are not allowed.")
	case strings.IndexFunc(name, isBidiControl) >= 0:
		return Invalid("full_name", "The name contains invisible text-direction control characters, which are not allowed.")
	case utf8.RuneCountInString(name) > 200:
		return Invalid("full_name", "The name is too long (200 characters at most).")
	}
	return nil
}

// isBidiControl reports the explicit embedding, override and isolate
// controls (LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI).
func isBidiControl(r rune) bool {
	return (r >= '\u202a' && r <= '\u202e') || (r >= '\u2066' && r <= '\u2069')
}

// passwordCheckRunes bounds what the strength estimator reads: its cost grows
// steeply with length (a 256-character repetition takes seconds), and a
// password whose first 32 characters are weak is weak.
const passwordCheckRunes = 32

// minPasswordScore is zxcvbn's score a new password needs: 2 means more than
// about 10^6 guesses, which leaves out the common and breached passwords of
// its lists and their usual variations.
const minPasswordScore = 2

// ValidatePassword checks a new password: its length, and that it is not
// only spaces, not the account's own email address and not among the
// passwords an attacker tries first.
func ValidatePassword(password, email, name string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		return Invalid("password", "Please choose a password.")
	case !utf8.ValidString(password) || strings.ContainsRune(password, 0):
		return Invalid("password", "The password contains characters that are not allowed.")
	case n < MinPasswordLength:
		return Invalid("password", fmt.Sprintf("The password must be at least %d characters long.", MinPasswordLength))
	case n > MaxPasswordLength:
		return Invalid("password", fmt.Sprintf("The password must be at most %d characters long.", MaxPasswordLength))
	case strings.TrimSpace(password) == "":
		return Invalid("password", "The password cannot be only spaces.")
	case email != "" && strings.Contains(strings.ToLower(password), NormalizeEmail(email)):
		return Invalid("password", "The password must not be your email address.")
	}
	if zxcvbn.PasswordStrength(firstRunes(password, passwordCheckRunes), passwordHints(email, name)).Score < minPasswordScore {
		return Invalid("password", "This password is too common or too easy to guess. Try a few unrelated words together.")
	}
	return nil
}

// passwordHints are the words of the account that a guesser would try.
func passwordHints(email, name string) []string {
	email = NormalizeEmail(email)
	hints := []string{email}
	if local, _, ok := strings.Cut(email, "@"); ok {
		hints = append(hints, local)
	}
	return append(hints, strings.Fields(strings.ToLower(name))...)
}

func firstRunes(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}
