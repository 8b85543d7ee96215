// Package credential issues and verifies certificates as Open Badges 3.0
// OpenBadgeCredentials (W3C Verifiable Credentials Data Model 2.0), secured
// as VC-JWTs signed with Ed25519 (JOSE "EdDSA").
//
// The issuer keeps one Ed25519 private key (GenerateKey, MarshalPrivateKey,
// ParsePrivateKey) and publishes its public keys as a JSON Web Key Set
// (JWKS). Each key is named by its RFC 7638 thumbprint (KeyID), which is
// also the "kid" of the tokens it signs.
//
// Sign builds the credential from Claims; see its documentation for the
// exact token layout. Verify checks a token against trusted keys and
// returns the Claims back; failures wrap ErrTampered, ErrUnknownKey,
// ErrNotYetValid or ErrExpired.
//
// Identifiers are derived from Claims.BaseURL:
//
//	credential id        BaseURL/certificates/<code>
//	credentialSubject.id BaseURL/certificates/<code>#recipient
//	issuer.id            BaseURL/issuer
//	credentialStatus     a BitstringStatusListEntry of Claims.Status (if set)
//
// The recipient has no URI of their own, so their name is stated the OB 3.0
// way, as an IdentityObject with identityType "name" and hashed false, and
// the subject id is the "#recipient" fragment of the credential id so that
// the JWT "sub" claim OB 3.0 requires has a value that equals it.
package credential
