package credential

import (
	"bytes"
	"compress/gzip"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Revocation is published as a W3C Bitstring Status List v1.0: each signed
// credential names one bit of a list (its credentialStatus, a
// BitstringStatusListEntry with statusPurpose "revocation"), and the issuer
// serves the list as a BitstringStatusListCredential, itself a VC-JWT signed
// with the same key. A set bit means the credential is revoked.

// StatusListBits is the length of every list: the specification's minimum
// of 16 KiB, so that one credential's bit hides among many.
const StatusListBits = 131072

// ErrStatusIndex means a credential's index lies outside its status list.
var ErrStatusIndex = errors.New("status list index out of range")

// StatusEntry is a credential's place in a status list.
type StatusEntry struct {
	// ListURL is the URL of the BitstringStatusListCredential.
	ListURL string
	// Index is the credential's bit, from 0.
	Index int
}

func (e StatusEntry) entry() *statusEntry {
	i := strconv.Itoa(e.Index)
	return &statusEntry{ID: e.ListURL + "#" + i, Type: "BitstringStatusListEntry", StatusPurpose: "revocation",
		StatusListIndex: i, StatusListCredential: e.ListURL}
}

// parse reads a revocation entry back.
func (s statusEntry) parse() (*StatusEntry, error) {
	if s.Type != "BitstringStatusListEntry" || s.StatusPurpose != "revocation" {
		return nil, fmt.Errorf("type %q, purpose %q: not a revocation BitstringStatusListEntry", s.Type, s.StatusPurpose)
	}
	i, err := strconv.Atoi(s.StatusListIndex)
	if err != nil || i < 0 || !isHTTPURL(s.StatusListCredential) {
		return nil, fmt.Errorf("index %q of list %q is not usable", s.StatusListIndex, s.StatusListCredential)
	}
	return &StatusEntry{ListURL: s.StatusListCredential, Index: i}, nil
}

// statusListDocument is a BitstringStatusListCredential.
type statusListDocument struct {
	Context           []string          `json:"@context"`
	ID                string            `json:"id"`
	Type              []string          `json:"type"`
	Issuer            string            `json:"issuer"`
	ValidFrom         string            `json:"validFrom"`
	CredentialSubject statusListSubject `json:"credentialSubject"`
}

type statusListSubject struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	StatusPurpose string `json:"statusPurpose"`
	EncodedList   string `json:"encodedList"`
}

type statusListPayload struct {
	statusListDocument
	Iss string `json:"iss"`
	Jti string `json:"jti"`
	Nbf int64  `json:"nbf"`
	Iat int64  `json:"iat"`
}

// SignStatusList publishes the list at listURL, issued by issuerID (the
// same issuer as the credentials), with the bits of revoked set.
func SignStatusList(priv ed25519.PrivateKey, listURL, issuerID string, issuedAt time.Time, revoked []int) (string, error) {
	encoded, err := EncodeStatusList(revoked)
	if err != nil {
		return "", fmt.Errorf("credential: unable to sign status list: %w", err)
	}
	issued := issuedAt.UTC().Truncate(time.Second)
	doc := statusListDocument{
		Context:   []string{ContextVC},
		ID:        listURL,
		Type:      []string{"VerifiableCredential", "BitstringStatusListCredential"},
		Issuer:    issuerID,
		ValidFrom: issued.Format(time.RFC3339),
		CredentialSubject: statusListSubject{ID: listURL + "#list", Type: "BitstringStatusList",
			StatusPurpose: "revocation", EncodedList: encoded},
	}
	body, err := json.Marshal(statusListPayload{statusListDocument: doc, Iss: issuerID, Jti: listURL,
		Nbf: issued.Unix(), Iat: issued.Unix()})
	if err != nil {
		return "", fmt.Errorf("credential: unable to sign status list: %w", err)
	}
	token, err := signJWT(priv, issuerID, body)
	if err != nil {
		return "", fmt.Errorf("credential: unable to sign status list: %w", err)
	}
	return token, nil
}

// StatusList is a verified revocation list.
type StatusList struct {
	ID     string
	Issuer string
	bits   []byte
}

// Revoked reports whether the bit at index is set.
func (l *StatusList) Revoked(index int) (bool, error) {
	if index < 0 || index >= len(l.bits)*8 {
		return false, fmt.Errorf("%w: %d of %d", ErrStatusIndex, index, len(l.bits)*8)
	}
	return l.bits[index/8]&(0x80>>(index%8)) != 0, nil
}

// VerifyStatusList checks a status list token against the trusted keys.
func VerifyStatusList(token string, keys []ed25519.PublicKey) (*StatusList, error) {
	body, _, err := verifyToken(strings.TrimSpace(token), keys)
	if err != nil {
		return nil, fmt.Errorf("credential: unable to verify status list: %w", err)
	}
	var p statusListPayload
	if err := json.Unmarshal(body, &p); err != nil {
		return nil, fmt.Errorf("credential: unable to verify status list: %w: %w", ErrTampered, err)
	}
	sub := p.CredentialSubject
	switch {
	case !slices.Contains(p.Type, "BitstringStatusListCredential") || sub.Type != "BitstringStatusList":
		return nil, fmt.Errorf("credential: unable to verify status list: %w: type %q", ErrTampered, p.Type)
	case sub.StatusPurpose != "revocation":
		return nil, fmt.Errorf("credential: unable to verify status list: %w: purpose %q", ErrTampered, sub.StatusPurpose)
	case p.Iss != p.Issuer || p.Jti != p.ID:
		return nil, fmt.Errorf("credential: unable to verify status list: %w: claims disagree", ErrTampered)
	}
	bits, err := DecodeStatusList(sub.EncodedList)
	if err != nil {
		return nil, fmt.Errorf("credential: unable to verify status list: %w", err)
	}
	return &StatusList{ID: p.ID, Issuer: p.Issuer, bits: bits}, nil
}

// EncodeStatusList is the encodedList of a list with the given bits set:
// the bitstring (bit 0 is the most significant bit of the first byte),
// GZIP-compressed, base64url without padding, with the multibase prefix "u".
func EncodeStatusList(set []int) (string, error) {
	bits := make([]byte, StatusListBits/8)
	for _, i := range set {
		if i < 0 || i >= StatusListBits {
			return "", fmt.Errorf("%w: %d", ErrStatusIndex, i)
		}
		bits[i/8] |= 0x80 >> (i % 8)
	}
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(bits); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// DecodeStatusList reverses EncodeStatusList; it accepts the list without
// the multibase prefix too, as earlier drafts wrote it.
func DecodeStatusList(encoded string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(encoded, "u"))
	if err != nil {
		return nil, fmt.Errorf("%w: encodedList is not base64url: %w", ErrTampered, err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("%w: encodedList is not gzip: %w", ErrTampered, err)
	}
	// Bounded: a hostile list must not inflate without end.
	bits, err := io.ReadAll(io.LimitReader(zr, 16*StatusListBits/8+1))
	if err != nil {
		return nil, fmt.Errorf("%w: encodedList: %w", ErrTampered, err)
	}
	if len(bits) < StatusListBits/8 || len(bits) > 16*StatusListBits/8 {
		return nil, fmt.Errorf("%w: list of %d bits", ErrTampered, len(bits)*8)
	}
	return bits, nil
}
