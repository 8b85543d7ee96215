package routes

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"courseportal/models"
	"courseportal/models/credential"
)

// Signer signs certificates as Open Badges credentials with the portal's key,
// and holds the key CSRF tokens are derived from (csrf.go).
type Signer struct {
	priv    ed25519.PrivateKey
	jwks    []byte
	jwk     []byte
	keyURL  string
	baseURL string
	csrfKey []byte
	// csrfMACs are HMACs under csrfKey, reset between uses: making one
	// hashes the key, on every request that binds a token.
	csrfMACs *sync.Pool
}

// NewSigner loads (or creates, on first start) the portal's signing key and
// its CSRF key. Both are kept in the database, so every instance shares them,
// and read once here, so no request ever has to write them.
func NewSigner(ctx context.Context, store *models.Store, baseURL string) (*Signer, error) {
	priv, err := store.CredentialKey(ctx)
	if err != nil {
		return nil, err
	}
	csrfKey, err := store.ServerSecret(ctx, CSRFSecretName)
	if err != nil {
		return nil, err
	}
	baseURL = strings.TrimRight(baseURL, "/")
	issuer, pub := baseURL+"/issuer", priv.Public().(ed25519.PublicKey)
	jwks, err := credential.JWKS(issuer, pub)
	if err != nil {
		return nil, fmt.Errorf("signer: %w", err)
	}
	jwk, err := credential.PublicJWK(issuer, pub)
	if err != nil {
		return nil, fmt.Errorf("signer: %w", err)
	}
	return &Signer{priv: priv, jwks: jwks, jwk: jwk, keyURL: credential.KeyURL(issuer, pub), baseURL: baseURL,
		csrfKey: csrfKey, csrfMACs: &sync.Pool{New: func() any { return hmac.New(sha256.New, csrfKey) }}}, nil
}

// JWKS is the public key set published at /.well-known/jwks.json.
func (s *Signer) JWKS() []byte { return s.jwks }

// JWK is the public key published at KeyURL, the kid of every signed token.
func (s *Signer) JWK() []byte { return s.jwk }

// KeyURL is where the public key is published as a JWK.
func (s *Signer) KeyURL() string { return s.keyURL }

// Sign turns a certificate into a signed VC-JWT, dated at its latest issue
// and naming its current bit in the revocation status list. The snapshot is
// frozen, so a field the credential requires but the snapshot lacks (courses
// could once be saved without a subtitle or provider) is filled from what the
// snapshot has: the course title describes the achievement, and the portal
// itself is the issuer.
func (s *Signer) Sign(cert *models.Certificate, courseSlug string) (string, error) {
	claims := credential.Claims{
		Code: cert.Code, RecipientName: cert.RecipientName, CourseTitle: cert.CourseTitle,
		CourseSubtitle: orDefault(strings.TrimSpace(cert.CourseSubtitle), cert.CourseTitle), CohortName: cert.CohortName,
		CompletedAt: cert.CompletedAt, IssuedAt: cert.CredentialIssuedAt(),
		IssuerName: orDefault(strings.TrimSpace(cert.IssuerName), s.host()), BaseURL: s.baseURL,
		AchievementID: "/courses/" + courseSlug, Criteria: cert.Criteria,
	}
	if cert.StatusList != nil && cert.StatusIndex != nil {
		claims.Status = &credential.StatusEntry{ListURL: s.StatusListURL(*cert.StatusList), Index: *cert.StatusIndex}
	}
	return credential.Sign(s.priv, claims)
}

// StatusListURL is where status list n is published.
func (s *Signer) StatusListURL(n int) string {
	return s.baseURL + "/credentials/status/" + strconv.Itoa(n)
}

// SignStatusList signs status list n with the given bits set.
func (s *Signer) SignStatusList(n int, revoked []int, at time.Time) (string, error) {
	return credential.SignStatusList(s.priv, s.StatusListURL(n), s.baseURL+"/issuer", at, revoked)
}

// host is the portal's host name, the issuer's name of last resort.
func (s *Signer) host() string {
	if u, err := url.Parse(s.baseURL); err == nil && u.Host != "" {
		return u.Hostname()
	}
	return s.baseURL
}
