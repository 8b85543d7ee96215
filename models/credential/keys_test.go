package credential

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
)

// RFC 8037 Appendix A.1 and A.3: an Ed25519 key and its JWK thumbprint.
const (
	rfcSeed       = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
	rfcX          = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
	rfcThumbprint = "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k"
)

func rfcKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	seed, err := base64.RawURLEncoding.DecodeString(rfcSeed)
	if err != nil {
		t.Fatal(err)
	}
	return ed25519.NewKeyFromSeed(seed)
}

func mustKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	k, err := GenerateKey()
	if err != nil {
		t.Fatalf("GenerateKey: %v", err)
	}
	return k
}

func pubOf(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }

func TestKeyIDMatchesRFC8037(t *testing.T) {
	pub := pubOf(rfcKey(t))
	if got := base64.RawURLEncoding.EncodeToString(pub); got != rfcX {
		t.Fatalf("public key x = %s, want %s", got, rfcX)
	}
	if got := KeyID(pub); got != rfcThumbprint {
		t.Errorf("KeyID = %s, want %s", got, rfcThumbprint)
	}
}

func TestKeyIDAgreesWithGoJose(t *testing.T) {
	pub := pubOf(mustKey(t))
	jwk := jose.JSONWebKey{Key: pub}
	sum, err := jwk.Thumbprint(0x5) // crypto.SHA256
	if err != nil {
		t.Fatal(err)
	}
	if want := base64.RawURLEncoding.EncodeToString(sum); KeyID(pub) != want {
		t.Errorf("KeyID = %s, go-jose thumbprint = %s", KeyID(pub), want)
	}
}

func TestPrivateKeyPEMRoundTrip(t *testing.T) {
	priv := mustKey(t)
	data, err := MarshalPrivateKey(priv)
	if err != nil {
		t.Fatalf("MarshalPrivateKey: %v", err)
	}
	if !bytes.HasPrefix(data, []byte("-----BEGIN PRIVATE KEY-----\n")) {
		t.Errorf("PEM does not start with a PRIVATE KEY block:\n%s", data)
	}
	back, err := ParsePrivateKey(data)
	if err != nil {
		t.Fatalf("ParsePrivateKey: %v", err)
	}
	if !priv.Equal(back) {
		t.Error("key changed in the PEM round trip")
	}
}

func TestParsePrivateKeyRejects(t *testing.T) {
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	ecDER, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		t.Fatal(err)
	}
	good, err := MarshalPrivateKey(mustKey(t))
	if err != nil {
		t.Fatal(err)
	}
	block, _ := pem.Decode(good)
	tests := map[string][]byte{
		"empty":         nil,
		"not PEM":       []byte("hello"),
		"public key":    pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: block.Bytes}),
		"corrupt DER":   pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: block.Bytes[:10]}),
		"ECDSA PKCS #8": pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: ecDER}),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := ParsePrivateKey(data); !errors.Is(err, ErrInvalidKey) {
				t.Errorf("ParsePrivateKey = %v, want ErrInvalidKey", err)
			}
		})
	}
}

func TestJWKSShape(t *testing.T) {
	pub := pubOf(rfcKey(t))
	data, err := JWKS(testIssuer, pub)
	if err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	if err := json.Unmarshal(data, &set); err != nil {
		t.Fatalf("JWKS is not JSON: %v\n%s", err, data)
	}
	if len(set.Keys) != 1 {
		t.Fatalf("JWKS has %d keys, want 1: %s", len(set.Keys), data)
	}
	want := map[string]any{
		"kty": "OKP", "crv": "Ed25519", "x": rfcX,
		"kid": testIssuer + "/keys/" + rfcThumbprint, "use": "sig", "alg": "EdDSA",
	}
	got := set.Keys[0]
	if len(got) != len(want) {
		t.Errorf("JWK has members %v, want exactly %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("JWK %s = %v, want %v", k, got[k], v)
		}
	}
}

func TestPublicJWKIsTheKeyAtItsKid(t *testing.T) {
	pub := pubOf(rfcKey(t))
	data, err := PublicJWK(testIssuer, pub)
	if err != nil {
		t.Fatalf("PublicJWK: %v", err)
	}
	var jwk map[string]any
	if err := json.Unmarshal(data, &jwk); err != nil {
		t.Fatalf("PublicJWK is not JSON: %v\n%s", err, data)
	}
	if jwk["kid"] != KeyURL(testIssuer, pub) || jwk["x"] != rfcX || jwk["kty"] != "OKP" {
		t.Errorf("JWK = %v, want the key with kid %s", jwk, KeyURL(testIssuer, pub))
	}
	if _, ok := jwk["d"]; ok {
		t.Fatal("JWK leaks the private key")
	}
}

func TestJWKSRoundTrip(t *testing.T) {
	a, b := pubOf(mustKey(t)), pubOf(mustKey(t))
	data, err := JWKS(testIssuer, a, b)
	if err != nil {
		t.Fatalf("JWKS: %v", err)
	}
	keys, err := ParseJWKS(data)
	if err != nil {
		t.Fatalf("ParseJWKS: %v", err)
	}
	if len(keys) != 2 || !keys[0].Equal(a) || !keys[1].Equal(b) {
		t.Errorf("ParseJWKS returned %d keys, not the two published in order", len(keys))
	}
}

func TestParseJWKSRejects(t *testing.T) {
	priv := mustKey(t)
	private, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: priv}}})
	if err != nil {
		t.Fatal(err)
	}
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	onlyEC, err := json.Marshal(jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: ec.Public()}}})
	if err != nil {
		t.Fatal(err)
	}
	tests := map[string][]byte{
		"empty":        nil,
		"not JSON":     []byte("{"),
		"no keys":      []byte(`{"keys":[]}`),
		"private key":  private,
		"only ECDSA":   onlyEC,
		"short x":      []byte(`{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AAAA"}]}`),
		"unknown kind": []byte(`{"keys":[{"kty":"XYZ"}]}`),
	}
	for name, data := range tests {
		t.Run(name, func(t *testing.T) {
			keys, err := ParseJWKS(data)
			if !errors.Is(err, ErrInvalidKey) {
				t.Errorf("ParseJWKS = %d keys, %v; want ErrInvalidKey", len(keys), err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "credential: ") {
				t.Errorf("error %q lacks the package prefix", err)
			}
		})
	}
}

func TestJWKSRejectsBadKey(t *testing.T) {
	if _, err := JWKS(testIssuer, ed25519.PublicKey("short")); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("JWKS(short key) = %v, want ErrInvalidKey", err)
	}
}
