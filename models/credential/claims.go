package credential

import (
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"courseportal/models/certcode"
)

// Claims is what a certificate states. Sign turns it into an Open Badges 3.0
// credential; Verify gives it back.
type Claims struct {
	// Code is the certificate code in canonical form (see certcode).
	Code string
	// RecipientName is the learner's name as printed on the certificate.
	RecipientName string
	// CourseTitle is the achievement's name, for example
	// "Certificate Course in International Relations".
	CourseTitle string
	// CourseSubtitle is the achievement's description, for example
	// "Six-week online course".
	CourseSubtitle string
	// CohortName is the cohort the learner completed the course with. It is
	// the credential subject's "term".
	CohortName string
	// CompletedAt is when the learner completed the course. It is the
	// credential subject's "activityEndDate"; zero leaves it out.
	CompletedAt time.Time
	// IssuedAt is when the certificate was issued: "validFrom", "nbf" and
	// "iat". It is kept to the second, in UTC.
	IssuedAt time.Time
	// IssuerName is the issuing organisation, for example "The Kootneeti".
	IssuerName string
	// BaseURL is the portal's public origin, for example
	// "http://localhost:3000". Identifiers are built from it.
	BaseURL string
	// AchievementID identifies the course, for example
	// "http://localhost:3000/courses/international-relations". A value
	// starting with "/" is taken relative to BaseURL.
	AchievementID string
	// Criteria is the achievement's criteria narrative. When empty Sign uses
	// "Completed all requirements of the <CourseTitle>."
	Criteria string
	// Status is the credential's entry in the issuer's revocation list (a
	// W3C Bitstring Status List); nil leaves credentialStatus out.
	Status *StatusEntry
}

// Maximum lengths, in runes, of free-text claims.
const (
	maxNameLen = 500
	maxTextLen = 2000
)

// ErrInvalidClaims reports claims that cannot make a credential.
var ErrInvalidClaims = errors.New("invalid claims")

// CredentialID returns the credential's id: BaseURL + "/certificates/" + Code.
func (c Claims) CredentialID() string { return trimBase(c.BaseURL) + "/certificates/" + c.Code }

// IssuerID returns the issuer profile's id: BaseURL + "/issuer".
func (c Claims) IssuerID() string { return trimBase(c.BaseURL) + "/issuer" }

// SubjectID returns the credential subject's id: the credential id with the
// fragment "#recipient". OB 3.0 requires the JWT "sub" claim to equal it.
func (c Claims) SubjectID() string { return c.CredentialID() + "#recipient" }

// achievementURL resolves AchievementID against BaseURL.
func (c Claims) achievementURL() string {
	if strings.HasPrefix(c.AchievementID, "/") {
		return trimBase(c.BaseURL) + c.AchievementID
	}
	return c.AchievementID
}

func trimBase(base string) string { return strings.TrimRight(base, "/") }

// validate checks that c can be signed.
func (c Claims) validate() error {
	if canon, ok := certcode.Normalize(c.Code); !ok || canon != c.Code {
		return fmt.Errorf("%w: code %q is not a canonical certificate code", ErrInvalidClaims, c.Code)
	}
	if !isHTTPURL(trimBase(c.BaseURL)) {
		return fmt.Errorf("%w: base URL %q is not an absolute http(s) URL", ErrInvalidClaims, c.BaseURL)
	}
	if !isHTTPURL(c.achievementURL()) {
		return fmt.Errorf("%w: achievement id %q is not an http(s) URL", ErrInvalidClaims, c.AchievementID)
	}
	for _, f := range []struct {
		name, value string
		max         int
		required    bool
	}{
		{"recipient name", c.RecipientName, maxNameLen, true},
		{"course title", c.CourseTitle, maxNameLen, true},
		{"course subtitle", c.CourseSubtitle, maxTextLen, true},
		{"issuer name", c.IssuerName, maxNameLen, true},
		{"cohort name", c.CohortName, maxNameLen, false},
		{"criteria", c.Criteria, maxTextLen, false},
	} {
		switch {
		case !utf8.ValidString(f.value):
			return fmt.Errorf("%w: %s is not valid UTF-8", ErrInvalidClaims, f.name)
		case f.required && strings.TrimSpace(f.value) == "":
			return fmt.Errorf("%w: %s is empty", ErrInvalidClaims, f.name)
		case utf8.RuneCountInString(f.value) > f.max:
			return fmt.Errorf("%w: %s is longer than %d characters", ErrInvalidClaims, f.name, f.max)
		}
	}
	if c.Status != nil && (!isHTTPURL(c.Status.ListURL) || c.Status.Index < 0 || c.Status.Index >= StatusListBits) {
		return fmt.Errorf("%w: status entry %+v is not an http(s) list URL and an index below %d", ErrInvalidClaims, *c.Status, StatusListBits)
	}
	if c.IssuedAt.IsZero() {
		return fmt.Errorf("%w: issue time is zero", ErrInvalidClaims)
	}
	return nil
}

// isHTTPURL reports whether s is an absolute http or https URL with a host
// and without query or fragment.
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		u.RawQuery == "" && u.Fragment == "" && u.User == nil
}

// document builds the OpenBadgeCredential that c describes.
func (c Claims) document() document {
	issued := c.IssuedAt.UTC().Truncate(time.Second)
	narrative := c.Criteria
	if narrative == "" {
		narrative = "Completed all requirements of the " + c.CourseTitle + "."
	}
	d := document{
		Context: []string{ContextVC, ContextOB},
		ID:      c.CredentialID(),
		Type:    []string{"VerifiableCredential", "OpenBadgeCredential"},
		Issuer: profile{
			ID:   c.IssuerID(),
			Type: []string{"Profile"},
			Name: c.IssuerName,
			URL:  trimBase(c.BaseURL),
		},
		ValidFrom: issued.Format(time.RFC3339),
		Name:      c.CourseTitle,
		CredentialSubject: subject{
			ID:   c.SubjectID(),
			Type: []string{"AchievementSubject"},
			Identifier: []identityObject{{
				Type:         "IdentityObject",
				IdentityHash: c.RecipientName,
				IdentityType: "name",
				Hashed:       false,
			}},
			Achievement: achievement{
				ID:              c.achievementURL(),
				Type:            []string{"Achievement"},
				AchievementType: "CertificateOfCompletion",
				Name:            c.CourseTitle,
				Description:     c.CourseSubtitle,
				Criteria:        criteria{Narrative: narrative},
			},
			Term: c.CohortName,
		},
	}
	if !c.CompletedAt.IsZero() {
		d.CredentialSubject.ActivityEndDate = c.CompletedAt.UTC().Truncate(time.Second).Format(time.RFC3339)
	}
	if c.Status != nil {
		d.CredentialStatus = c.Status.entry()
	}
	return d
}
