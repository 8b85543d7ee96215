// Package certcode creates and normalises the public codes printed on
// certificates, such as "7KQ2M-9XDT4-RAB3C".
//
// A code is 15 characters of Crockford's base32 alphabet (75 random bits from
// crypto/rand), shown in three groups of five separated by dashes. Codes are
// random: they are never derived from a database id, so they cannot be
// enumerated or used to infer how many certificates exist.
package certcode

import (
	"crypto/rand"
	"fmt"
)

const (
	// Alphabet is Crockford's base32 alphabet: digits and upper-case letters
	// without I, L, O and U.
	Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

	// Length is the number of significant characters in a code (75 bits).
	Length = 15

	// GroupSize is the number of characters between two dashes.
	GroupSize = 5

	// maxInput bounds the work Normalize does on hostile input. A code with a
	// separator between every character still fits easily.
	maxInput = 64
)

// New returns a new random certificate code in its canonical grouped form,
// for example "7KQ2M-9XDT4-RAB3C". It fails only if the operating system's
// random source does.
func New() (string, error) {
	var b [Length]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("certcode: unable to read random bytes: %w", err)
	}
	var raw [Length]byte
	for i, v := range b {
		// 256 is a multiple of 32, so the low five bits are uniform.
		raw[i] = Alphabet[v&31]
	}
	return group(raw[:]), nil
}

// Normalize turns user input such as " 7kq2m 9xdt4-rab3c " into the canonical
// form "7KQ2M-9XDT4-RAB3C" for look-ups. It trims surrounding white space,
// ignores dashes and spaces, is case-insensitive, and reads O as 0 and I and
// L as 1, as Crockford's base32 prescribes. The boolean reports whether the
// input is a well-formed code: exactly 15 alphabet characters and nothing
// else. Non-ASCII input is never well-formed. When it is false the returned
// string is empty.
func Normalize(s string) (string, bool) {
	if len(s) > maxInput {
		return "", false
	}
	raw := make([]byte, 0, Length)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '-' || c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		case c >= 'a' && c <= 'z':
			c -= 'a' - 'A'
		case c >= 0x80:
			return "", false
		}
		switch c {
		case 'O':
			c = '0'
		case 'I', 'L':
			c = '1'
		}
		if !valid(c) || len(raw) == Length {
			return "", false
		}
		raw = append(raw, c)
	}
	if len(raw) != Length {
		return "", false
	}
	return group(raw), true
}

// valid reports whether c is an upper-case character of Alphabet.
func valid(c byte) bool {
	switch {
	case c >= '0' && c <= '9':
		return true
	case c >= 'A' && c <= 'Z':
		return c != 'I' && c != 'L' && c != 'O' && c != 'U'
	}
	return false
}

// group inserts a dash after every GroupSize characters of raw.
func group(raw []byte) string {
	out := make([]byte, 0, len(raw)+len(raw)/GroupSize)
	for i, c := range raw {
		if i > 0 && i%GroupSize == 0 {
			out = append(out, '-')
		}
		out = append(out, c)
	}
	return string(out)
}
