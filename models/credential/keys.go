package credential

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"

	"github.com/go-jose/go-jose/v4"
)

// pemType is the PEM block type of a PKCS #8 private key.
const pemType = "PRIVATE KEY"

// GenerateKey returns a new Ed25519 signing key from crypto/rand.
func GenerateKey() (ed25519.PrivateKey, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("credential: unable to generate key: %w", err)
	}
	return priv, nil
}

// MarshalPrivateKey encodes priv as a PKCS #8 "PRIVATE KEY" PEM block, the
// form the store keeps. The result is secret.
func MarshalPrivateKey(priv ed25519.PrivateKey) ([]byte, error) {
	if len(priv) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("credential: unable to marshal key: %w", ErrInvalidKey)
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, fmt.Errorf("credential: unable to marshal key: %w", err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der}), nil
}

// ParsePrivateKey decodes a PEM block written by MarshalPrivateKey. It
// rejects PEM of another type and PKCS #8 keys that are not Ed25519.
func ParsePrivateKey(data []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil {
		return nil, fmt.Errorf("credential: unable to parse key: %w: no PEM block", ErrInvalidKey)
	}
	if block.Type != pemType {
		return nil, fmt.Errorf("credential: unable to parse key: %w: PEM type %q", ErrInvalidKey, block.Type)
	}
	key, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("credential: unable to parse key: %w: %w", ErrInvalidKey, err)
	}
	priv, ok := key.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("credential: unable to parse key: %w: %T is not Ed25519", ErrInvalidKey, key)
	}
	return priv, nil
}

// KeyID returns the RFC 7638 JWK thumbprint of pub (SHA-256, base64url
// without padding). It is the "kid" of the key in JWKS and in signed tokens.
// RFC 8037 defines the thumbprint input of an Ed25519 key as
// {"crv":"Ed25519","kty":"OKP","x":"..."}.
func KeyID(pub ed25519.PublicKey) string {
	x := base64.RawURLEncoding.EncodeToString(pub)
	sum := sha256.Sum256([]byte(`{"crv":"Ed25519","kty":"OKP","x":"` + x + `"}`))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// KeyURL returns where the issuer with the given profile id publishes pub as
// a JWK: issuerID + "/keys/" + KeyID(pub). It is the "kid" of signed tokens
// and of the key in JWKS: OB 3.0 §8.2 wants a kid that can be dereferenced to
// the JWK that verifies the signature.
func KeyURL(issuerID string, pub ed25519.PublicKey) string {
	return trimBase(issuerID) + "/keys/" + KeyID(pub)
}

// PublicJWK is pub as a public signing JWK whose kid is KeyURL(issuerID, pub),
// the document published at that URL.
func PublicJWK(issuerID string, pub ed25519.PublicKey) ([]byte, error) {
	if len(pub) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("credential: unable to build JWK: %w", ErrInvalidKey)
	}
	out, err := json.Marshal(publicJWK(issuerID, pub))
	if err != nil {
		return nil, fmt.Errorf("credential: unable to build JWK: %w", err)
	}
	return out, nil
}

// publicJWK describes pub as a public signing JWK with its URL as kid.
func publicJWK(issuerID string, pub ed25519.PublicKey) jose.JSONWebKey {
	return jose.JSONWebKey{
		Key:       pub,
		KeyID:     KeyURL(issuerID, pub),
		Use:       "sig",
		Algorithm: string(jose.EdDSA),
	}
}

// JWKS returns the JSON Web Key Set that publishes the given public keys of
// the issuer with profile id issuerID for verifiers, for example
// {"keys":[{"use":"sig","kty":"OKP","kid":"https://…/issuer/keys/…","crv":"Ed25519","alg":"EdDSA","x":"..."}]}.
// Each kid is the key's KeyURL, the same kid signed tokens carry. Pass the
// current key first and any retired keys that still verify old certificates
// after it.
func JWKS(issuerID string, pub ...ed25519.PublicKey) ([]byte, error) {
	set := jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(pub))}
	for _, p := range pub {
		if len(p) != ed25519.PublicKeySize {
			return nil, fmt.Errorf("credential: unable to build JWKS: %w", ErrInvalidKey)
		}
		set.Keys = append(set.Keys, publicJWK(issuerID, p))
	}
	out, err := json.Marshal(set)
	if err != nil {
		return nil, fmt.Errorf("credential: unable to build JWKS: %w", err)
	}
	return out, nil
}

// ParseJWKS reads a JSON Web Key Set and returns its Ed25519 public keys.
// Keys of other types are skipped, and "kid" members are ignored: Verify
// identifies keys by their thumbprint (KeyID). A set holding private key
// material or without any Ed25519 key is an error.
func ParseJWKS(data []byte) ([]ed25519.PublicKey, error) {
	var set jose.JSONWebKeySet
	if err := json.Unmarshal(data, &set); err != nil {
		return nil, fmt.Errorf("credential: unable to parse JWKS: %w: %w", ErrInvalidKey, err)
	}
	var keys []ed25519.PublicKey
	for _, k := range set.Keys {
		if !k.IsPublic() {
			return nil, fmt.Errorf("credential: unable to parse JWKS: %w: private key material", ErrInvalidKey)
		}
		pub, ok := k.Key.(ed25519.PublicKey)
		if !ok {
			continue
		}
		keys = append(keys, pub)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("credential: unable to parse JWKS: %w: no Ed25519 key", ErrInvalidKey)
	}
	return keys, nil
}

// ErrInvalidKey reports key material that is malformed or of the wrong kind.
var ErrInvalidKey = errors.New("invalid key")
