package credential

import (
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"courseportal/models/certcode"
)

// Errors returned by Verify, wrapped; test them with errors.Is.
var (
	// ErrTampered means the token is malformed, uses an algorithm other
	// than EdDSA (including "none"), has a bad signature, or is not a
	// consistent OB 3.0 credential.
	ErrTampered = errors.New("credential tampered or malformed")
	// ErrUnknownKey means the token names a key that is not among the
	// trusted keys.
	ErrUnknownKey = errors.New("credential signed by an unknown key")
	// ErrNotYetValid means the credential's validFrom is in the future.
	ErrNotYetValid = errors.New("credential not yet valid")
	// ErrExpired means the credential's validUntil has passed.
	ErrExpired = errors.New("credential expired")
)

const (
	// maxToken bounds the work Verify does on hostile input.
	maxToken = 64 << 10
	// clockSkew is how far in the future validFrom may lie.
	clockSkew = 5 * time.Minute
)

// Verified is a credential whose signature Verify has checked.
type Verified struct {
	// Claims are the certificate's statements, read back from the
	// credential, with its status list entry if it has one.
	Claims
	// CredentialID is the credential's id.
	CredentialID string
	// KeyID is the thumbprint of the key that signed it.
	KeyID string
}

// Verify checks a token made by Sign against the trusted public keys and
// returns what the credential states. Only EdDSA signatures are accepted.
// The key is chosen by the token's kid (its RFC 7638 thumbprint); a token
// naming no trusted key fails with ErrUnknownKey, one with a bad signature
// or content with ErrTampered. Tokens in the VC Data Model 1.1 style, with
// the credential under a "vc" claim, are accepted too.
func Verify(token string, keys []ed25519.PublicKey) (*Verified, error) {
	return verifyAt(token, keys, time.Now())
}

// VerifyJWKS is Verify with the trusted keys given as a JSON Web Key Set,
// as JWKS produces.
func VerifyJWKS(token string, jwks []byte) (*Verified, error) {
	keys, err := ParseJWKS(jwks)
	if err != nil {
		return nil, fmt.Errorf("credential: unable to verify: %w", err)
	}
	return verifyAt(token, keys, time.Now())
}

func verifyAt(token string, keys []ed25519.PublicKey, now time.Time) (*Verified, error) {
	body, kid, err := verifyToken(token, keys)
	if err != nil {
		return nil, fmt.Errorf("credential: unable to verify: %w", err)
	}
	v, err := parsePayload(body, now)
	if err != nil {
		return nil, fmt.Errorf("credential: unable to verify: %w", err)
	}
	v.KeyID = kid
	return v, nil
}

// verifyToken checks a compact JWS with one EdDSA signature against the
// trusted key its header names and returns the payload and the key's id.
func verifyToken(token string, keys []ed25519.PublicKey) ([]byte, string, error) {
	if len(token) > maxToken {
		return nil, "", fmt.Errorf("%w: token too long", ErrTampered)
	}
	jws, err := jose.ParseSignedCompact(token, []jose.SignatureAlgorithm{jose.EdDSA})
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrTampered, err)
	}
	if len(jws.Signatures) != 1 {
		return nil, "", fmt.Errorf("%w: %d signatures", ErrTampered, len(jws.Signatures))
	}
	return verifySignature(jws, keys)
}

// verifySignature checks a compact JWS with one signature against the
// trusted key its header names and returns the payload.
func verifySignature(jws *jose.JSONWebSignature, keys []ed25519.PublicKey) ([]byte, string, error) {
	pub, kid, err := selectKey(jws.Signatures[0].Header, keys)
	if err != nil {
		return nil, "", err
	}
	body, err := jws.Verify(pub)
	if err != nil {
		return nil, "", fmt.Errorf("%w: %w", ErrTampered, err)
	}
	return body, kid, nil
}

// selectKey picks the trusted key the header names by kid (a KeyURL, whose
// last path segment is the thumbprint, or the bare thumbprint older tokens
// carry) or, failing that, by the thumbprint of its embedded jwk. A header
// naming neither is tried against the only trusted key, if there is exactly
// one. The returned id is the key's thumbprint.
func selectKey(h jose.Header, keys []ed25519.PublicKey) (ed25519.PublicKey, string, error) {
	want := h.KeyID
	if i := strings.LastIndex(want, "/keys/"); i >= 0 {
		want = want[i+len("/keys/"):]
	}
	if want == "" && h.JSONWebKey != nil {
		if p, ok := h.JSONWebKey.Key.(ed25519.PublicKey); ok && len(p) == ed25519.PublicKeySize {
			want = KeyID(p)
		}
	}
	var valid []ed25519.PublicKey
	for _, k := range keys {
		if len(k) != ed25519.PublicKeySize {
			continue
		}
		valid = append(valid, k)
		if want != "" && KeyID(k) == want {
			return k, want, nil
		}
	}
	if want == "" && len(valid) == 1 {
		return valid[0], KeyID(valid[0]), nil
	}
	if want == "" {
		return nil, "", fmt.Errorf("%w: token names no key", ErrUnknownKey)
	}
	return nil, "", fmt.Errorf("%w: kid %q", ErrUnknownKey, want)
}

// parsePayload reads a verified payload and checks that the JWT claims and
// the credential agree, as OB 3.0 §8.2 requires of verifiers.
func parsePayload(body []byte, now time.Time) (*Verified, error) {
	var p payload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("%w: payload: %w", ErrTampered, err)
	}
	doc := p.document
	if p.VC != nil {
		doc = *p.VC
	}
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrTampered}, args...)...)
	}
	switch {
	case !slices.Contains(doc.Type, "OpenBadgeCredential") && !slices.Contains(doc.Type, "AchievementCredential"):
		return nil, bad("type %q is not an OpenBadgeCredential", doc.Type)
	case !slices.ContainsFunc(doc.Context, isOBContext):
		return nil, bad("@context %q lacks the Open Badges 3.0 context", doc.Context)
	case p.Iss != doc.Issuer.ID:
		return nil, bad("iss %q differs from issuer.id %q", p.Iss, doc.Issuer.ID)
	case p.Jti != doc.ID:
		return nil, bad("jti %q differs from id %q", p.Jti, doc.ID)
	case p.Sub != doc.CredentialSubject.ID:
		return nil, bad("sub %q differs from credentialSubject.id %q", p.Sub, doc.CredentialSubject.ID)
	}
	from := doc.ValidFrom
	if from == "" {
		from = doc.IssuanceDate // VC Data Model 1.1
	}
	validFrom, err := time.Parse(time.RFC3339, from)
	if err != nil || validFrom.Unix() != p.Nbf {
		return nil, bad("nbf %d does not match validFrom %q", p.Nbf, from)
	}
	if validFrom.After(now.Add(clockSkew)) {
		return nil, fmt.Errorf("%w: valid from %s", ErrNotYetValid, from)
	}
	if p.Exp != 0 && now.Unix() >= p.Exp {
		return nil, fmt.Errorf("%w: expired at %s", ErrExpired, time.Unix(p.Exp, 0).UTC().Format(time.RFC3339))
	}

	base, ok := strings.CutSuffix(doc.Issuer.ID, "/issuer")
	if !ok {
		return nil, bad("issuer.id %q does not end in /issuer", doc.Issuer.ID)
	}
	code, ok := strings.CutPrefix(doc.ID, base+"/certificates/")
	if canon, valid := certcode.Normalize(code); !ok || !valid || canon != code {
		return nil, bad("id %q is not %s/certificates/<code>", doc.ID, base)
	}
	name, ok := recipientName(doc.CredentialSubject.Identifier)
	if !ok {
		return nil, bad("credentialSubject has no plain-text name identifier")
	}
	c := Claims{
		Code:           code,
		RecipientName:  name,
		CourseTitle:    doc.CredentialSubject.Achievement.Name,
		CourseSubtitle: doc.CredentialSubject.Achievement.Description,
		CohortName:     doc.CredentialSubject.Term,
		IssuedAt:       validFrom.UTC(),
		IssuerName:     doc.Issuer.Name,
		BaseURL:        base,
		AchievementID:  doc.CredentialSubject.Achievement.ID,
		Criteria:       doc.CredentialSubject.Achievement.Criteria.Narrative,
	}
	if doc.CredentialStatus != nil {
		if c.Status, err = doc.CredentialStatus.parse(); err != nil {
			return nil, bad("credentialStatus: %w", err)
		}
	}
	if doc.CredentialSubject.ActivityEndDate != "" {
		t, err := time.Parse(time.RFC3339, doc.CredentialSubject.ActivityEndDate)
		if err != nil {
			return nil, bad("activityEndDate %q: %w", doc.CredentialSubject.ActivityEndDate, err)
		}
		c.CompletedAt = t.UTC()
	}
	return &Verified{Claims: c, CredentialID: doc.ID}, nil
}

func isOBContext(s string) bool { return strings.HasPrefix(s, contextOBPrefix) }

// recipientName returns the first plain-text identity of type "name".
func recipientName(ids []identityObject) (string, bool) {
	for _, id := range ids {
		if id.IdentityType == "name" && !id.Hashed && id.IdentityHash != "" {
			return id.IdentityHash, true
		}
	}
	return "", false
}
