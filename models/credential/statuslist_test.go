package credential

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"encoding/base64"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestStatusEntryRoundTrip(t *testing.T) {
	priv := mustKey(t)
	c := sampleClaims()
	c.Status = &StatusEntry{ListURL: "http://localhost:3000/credentials/status/1", Index: 131071}
	v, err := Verify(mustSign(t, priv, c), []ed25519.PublicKey{pubOf(priv)})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(v.Status, c.Status) {
		t.Fatalf("status = %+v, want %+v", v.Status, c.Status)
	}
	c.Status.Index = StatusListBits
	if _, err := Sign(priv, c); !errors.Is(err, ErrInvalidClaims) {
		t.Fatalf("index past the list: Sign = %v, want ErrInvalidClaims", err)
	}
}

// decodeIndependently follows the specification's algorithm step by step,
// without the package's decoder.
func decodeIndependently(t *testing.T, encoded string) []byte {
	t.Helper()
	if !strings.HasPrefix(encoded, "u") {
		t.Fatalf("encodedList %q lacks the multibase base64url prefix", encoded[:8])
	}
	gz, err := base64.RawURLEncoding.DecodeString(encoded[1:])
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		t.Fatal(err)
	}
	bits, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return bits
}

func TestStatusListSignedAndVerified(t *testing.T) {
	priv := mustKey(t)
	revoked := []int{0, 7, 8, 94567, StatusListBits - 1}
	tok, err := SignStatusList(priv, "http://localhost:3000/credentials/status/1", "http://localhost:3000/issuer",
		time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), revoked)
	if err != nil {
		t.Fatal(err)
	}
	p := segment(t, tok, 1)
	sub := p["credentialSubject"].(map[string]any)
	if sub["type"] != "BitstringStatusList" || sub["statusPurpose"] != "revocation" ||
		!reflect.DeepEqual(p["type"], []any{"VerifiableCredential", "BitstringStatusListCredential"}) {
		t.Fatalf("payload = %v", p)
	}
	bits := decodeIndependently(t, sub["encodedList"].(string))
	if len(bits)*8 != StatusListBits {
		t.Fatalf("list of %d bits, want %d", len(bits)*8, StatusListBits)
	}
	if bits[0] != 0b1000_0001 || bits[1] != 0b1000_0000 || bits[94567/8] != 0x80>>(94567%8) || bits[len(bits)-1] != 1 {
		t.Fatalf("bits 0-15 = %08b %08b, last byte %08b", bits[0], bits[1], bits[len(bits)-1])
	}
	list, err := VerifyStatusList(tok, []ed25519.PublicKey{pubOf(priv)})
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range map[int]bool{0: true, 1: false, 7: true, 8: true, 9: false, 94567: true, 94566: false, StatusListBits - 1: true} {
		if got, err := list.Revoked(i); err != nil || got != want {
			t.Errorf("Revoked(%d) = %v, %v; want %v", i, got, err, want)
		}
	}
	if _, err := list.Revoked(StatusListBits); !errors.Is(err, ErrStatusIndex) {
		t.Errorf("Revoked past the end = %v, want ErrStatusIndex", err)
	}
	if _, err := VerifyStatusList(tok, []ed25519.PublicKey{pubOf(mustKey(t))}); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("list checked with another key = %v, want ErrUnknownKey", err)
	}
	if _, err := VerifyStatusList(mustSign(t, priv, sampleClaims()), []ed25519.PublicKey{pubOf(priv)}); !errors.Is(err, ErrTampered) {
		t.Errorf("a certificate passed as a status list = %v, want ErrTampered", err)
	}
}
