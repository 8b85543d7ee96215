package credential

import (
	"crypto/ed25519"
	"encoding/json"
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// Sign issues the certificate described by c as an Open Badges 3.0
// OpenBadgeCredential secured as a VC-JWT (a compact JWS) with Ed25519.
//
// The encoding is the one of OB 3.0 §8.2 "JSON Web Token Proof Format" for
// VC Data Model 2.0 credentials: the JWT payload is the credential itself
// (@context, id, type, issuer, validFrom, credentialSubject, ...) with the
// registered claims beside its members: iss = issuer.id, jti = id,
// sub = credentialSubject.id, nbf = iat = validFrom. There is no "vc" claim
// (that is the VC Data Model 1.1 style, which Verify still reads).
//
// The JOSE header is {"alg":"EdDSA","typ":"JWT","kid":KeyURL(issuer, pub),"jwk":{...}}:
// OB 3.0 allows only alg, kid, jwk and typ and wants typ, if present, to be
// "JWT". kid is a URL that dereferences to the public JWK (and the key's kid
// in the issuer's JWKS); the embedded public jwk lets verifiers that cannot
// dereference a kid check the signature (Verify never trusts it: it only
// uses the keys it is given).
func Sign(priv ed25519.PrivateKey, c Claims) (string, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return "", fmt.Errorf("credential: unable to sign: %w", ErrInvalidKey)
	}
	if err := c.validate(); err != nil {
		return "", fmt.Errorf("credential: unable to sign: %w", err)
	}
	doc := c.document()
	p := payload{
		document: doc,
		Iss:      doc.Issuer.ID,
		Sub:      doc.CredentialSubject.ID,
		Jti:      doc.ID,
		Nbf:      c.IssuedAt.Unix(),
		Iat:      c.IssuedAt.Unix(),
	}
	body, err := json.Marshal(p)
	if err != nil {
		return "", fmt.Errorf("credential: unable to sign: %w", err)
	}
	token, err := signJWT(priv, doc.Issuer.ID, body)
	if err != nil {
		return "", fmt.Errorf("credential: unable to sign: %w", err)
	}
	return token, nil
}

// signJWT signs a JWT payload of the issuer with profile id issuerID with
// the JOSE header Sign describes.
func signJWT(priv ed25519.PrivateKey, issuerID string, body []byte) (string, error) {
	kid := KeyURL(issuerID, priv.Public().(ed25519.PublicKey))
	opts := (&jose.SignerOptions{EmbedJWK: true}).
		WithType("JWT").
		WithHeader(jose.HeaderKey("kid"), kid)
	signer, err := jose.NewSigner(jose.SigningKey{
		Algorithm: jose.EdDSA,
		Key:       jose.JSONWebKey{Key: priv, KeyID: kid, Algorithm: string(jose.EdDSA), Use: "sig"},
	}, opts)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(body)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}
