package credential

// JSON shapes of an Open Badges 3.0 OpenBadgeCredential (VC Data Model 2.0)
// together with the JWT registered claims that OB 3.0 §8.2 puts beside the
// credential's own members in a VC-JWT payload.

const (
	// ContextVC is the W3C Verifiable Credentials Data Model 2.0 context.
	ContextVC = "https://www.w3.org/ns/credentials/v2"
	// ContextOB is the Open Badges 3.0 JSON-LD context.
	ContextOB = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
	// contextOBPrefix starts every revision of the OB 3.0 context.
	contextOBPrefix = "https://purl.imsglobal.org/spec/ob/v3p0/context"
)

// payload is the JWT claims set: the credential plus iss, sub, jti, nbf, iat.
type payload struct {
	document
	Iss string `json:"iss"`
	Sub string `json:"sub,omitempty"`
	Jti string `json:"jti"`
	Nbf int64  `json:"nbf"`
	Iat int64  `json:"iat,omitempty"`
	Exp int64  `json:"exp,omitempty"`

	// VC holds the credential in tokens made the VC Data Model 1.1 way,
	// which OB 3.0 verifiers still accept. Sign never sets it.
	VC *document `json:"vc,omitempty"`
}

// document is an OpenBadgeCredential.
type document struct {
	Context           []string     `json:"@context"`
	ID                string       `json:"id"`
	Type              []string     `json:"type"`
	Issuer            profile      `json:"issuer"`
	ValidFrom         string       `json:"validFrom,omitempty"`
	IssuanceDate      string       `json:"issuanceDate,omitempty"` // VC 1.1 only
	ValidUntil        string       `json:"validUntil,omitempty"`
	Name              string       `json:"name"`
	Description       string       `json:"description,omitempty"`
	CredentialSubject subject      `json:"credentialSubject"`
	CredentialStatus  *statusEntry `json:"credentialStatus,omitempty"`
}

// profile is an OB 3.0 Profile: the issuer.
type profile struct {
	ID   string   `json:"id"`
	Type []string `json:"type"`
	Name string   `json:"name"`
	URL  string   `json:"url,omitempty"`
}

// subject is an OB 3.0 AchievementSubject: the recipient and what they did.
type subject struct {
	ID              string           `json:"id,omitempty"`
	Type            []string         `json:"type"`
	Identifier      []identityObject `json:"identifier,omitempty"`
	Achievement     achievement      `json:"achievement"`
	ActivityEndDate string           `json:"activityEndDate,omitempty"`
	Term            string           `json:"term,omitempty"`
}

// identityObject is an OB 3.0 IdentityObject. The recipient's name is stated
// as identityType "name", not hashed, which is how OB 3.0 names a subject
// that has no URI of its own.
type identityObject struct {
	Type         string `json:"type"`
	IdentityHash string `json:"identityHash"`
	IdentityType string `json:"identityType"`
	Hashed       bool   `json:"hashed"`
}

// achievement is an OB 3.0 Achievement: the course.
type achievement struct {
	ID              string   `json:"id"`
	Type            []string `json:"type"`
	AchievementType string   `json:"achievementType,omitempty"`
	Name            string   `json:"name"`
	Description     string   `json:"description"`
	Criteria        criteria `json:"criteria"`
}

// criteria is an OB 3.0 Criteria.
type criteria struct {
	Narrative string `json:"narrative"`
}

// statusEntry is a credentialStatus of type BitstringStatusListEntry (W3C
// Bitstring Status List v1.0): the credential's bit in a published list.
type statusEntry struct {
	ID                   string `json:"id"`
	Type                 string `json:"type"`
	StatusPurpose        string `json:"statusPurpose"`
	StatusListIndex      string `json:"statusListIndex"`
	StatusListCredential string `json:"statusListCredential"`
}
