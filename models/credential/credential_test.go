package credential

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// testIssuer is the issuer profile id of sampleClaims.
const testIssuer = "http://localhost:3000/issuer"

func sampleClaims() Claims {
	return Claims{
		Code:           "7KQ2M-9XDT4-RAB3C",
		RecipientName:  "Zoë Ñúñez-Øberg",
		CourseTitle:    "Certificate Course in International Relations",
		CourseSubtitle: "Six-week online course",
		CohortName:     "Autumn 2026",
		CompletedAt:    time.Date(2025, 11, 27, 0, 0, 0, 0, time.UTC),
		IssuedAt:       time.Date(2025, 11, 28, 9, 30, 15, 0, time.UTC),
		IssuerName:     "The Kootneeti",
		BaseURL:        "http://localhost:3000",
		AchievementID:  "/courses/international-relations",
	}
}

func mustSign(t *testing.T, priv ed25519.PrivateKey, c Claims) string {
	t.Helper()
	tok, err := Sign(priv, c)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	return tok
}

// segment decodes the i-th base64url part of a compact JWS as JSON.
func segment(t *testing.T, token string, i int) map[string]any {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts, want 3", len(parts))
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[i])
	if err != nil {
		t.Fatalf("part %d is not base64url: %v", i, err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("part %d is not JSON: %v", i, err)
	}
	return m
}

func TestSignVerifyRoundTrip(t *testing.T) {
	priv := mustKey(t)
	for _, name := range []string{"Zoë Ñúñez-Øberg", "Анна Петрова", "احمد رحیمی", `Quote " and \ backslash`} {
		c := sampleClaims()
		c.RecipientName = name
		tok := mustSign(t, priv, c)
		v, err := Verify(tok, []ed25519.PublicKey{pubOf(priv)})
		if err != nil {
			t.Fatalf("Verify(%q): %v", name, err)
		}
		want := c
		want.AchievementID = "http://localhost:3000/courses/international-relations"
		want.Criteria = "Completed all requirements of the Certificate Course in International Relations."
		if !reflect.DeepEqual(v.Claims, want) {
			t.Errorf("verified claims differ:\n got %+v\nwant %+v", v.Claims, want)
		}
		if v.CredentialID != "http://localhost:3000/certificates/7KQ2M-9XDT4-RAB3C" {
			t.Errorf("CredentialID = %q", v.CredentialID)
		}
		if v.KeyID != KeyID(pubOf(priv)) {
			t.Errorf("KeyID = %q, want %q", v.KeyID, KeyID(pubOf(priv)))
		}
	}
}

func TestVerifyJWKS(t *testing.T) {
	old, cur := mustKey(t), mustKey(t)
	jwks, err := JWKS(testIssuer, pubOf(cur), pubOf(old))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []ed25519.PrivateKey{old, cur} {
		if _, err := VerifyJWKS(mustSign(t, k, sampleClaims()), jwks); err != nil {
			t.Errorf("VerifyJWKS: %v", err)
		}
	}
	if _, err := VerifyJWKS(mustSign(t, old, sampleClaims()), []byte("{}")); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("VerifyJWKS with an empty set = %v, want ErrInvalidKey", err)
	}
}

func TestHeader(t *testing.T) {
	priv := mustKey(t)
	h := segment(t, mustSign(t, priv, sampleClaims()), 0)
	kid := testIssuer + "/keys/" + KeyID(pubOf(priv))
	if h["alg"] != "EdDSA" || h["typ"] != "JWT" || h["kid"] != kid {
		t.Errorf("header = %v; want alg EdDSA, typ JWT, kid %s", h, kid)
	}
	for k := range h {
		if k != "alg" && k != "typ" && k != "kid" && k != "jwk" {
			t.Errorf("header has %q; OB 3.0 allows only alg, kid, jwk and typ", k)
		}
	}
	jwk, _ := h["jwk"].(map[string]any)
	if jwk["kty"] != "OKP" || jwk["crv"] != "Ed25519" || jwk["x"] != base64.RawURLEncoding.EncodeToString(pubOf(priv)) {
		t.Errorf("embedded jwk = %v, want the public key", jwk)
	}
	if _, ok := jwk["d"]; ok {
		t.Fatal("embedded jwk leaks the private key")
	}
}

func TestPayloadIsOpenBadgeCredential(t *testing.T) {
	c := sampleClaims()
	c.Status = &StatusEntry{ListURL: "http://localhost:3000/credentials/status/1", Index: 94567}
	p := segment(t, mustSign(t, mustKey(t), c), 1)
	const id = "http://localhost:3000/certificates/7KQ2M-9XDT4-RAB3C"
	checks := map[string]any{
		"@context":  []any{"https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"},
		"type":      []any{"VerifiableCredential", "OpenBadgeCredential"},
		"id":        id,
		"jti":       id,
		"iss":       "http://localhost:3000/issuer",
		"sub":       id + "#recipient",
		"nbf":       float64(c.IssuedAt.Unix()),
		"iat":       float64(c.IssuedAt.Unix()),
		"validFrom": "2025-11-28T09:30:15Z",
		"name":      "Certificate Course in International Relations",
		"issuer": map[string]any{
			"id": "http://localhost:3000/issuer", "type": []any{"Profile"},
			"name": "The Kootneeti", "url": "http://localhost:3000",
		},
		"credentialSubject": map[string]any{
			"id":   id + "#recipient",
			"type": []any{"AchievementSubject"},
			"identifier": []any{map[string]any{
				"type": "IdentityObject", "identityHash": "Zoë Ñúñez-Øberg",
				"identityType": "name", "hashed": false,
			}},
			"achievement": map[string]any{
				"id":              "http://localhost:3000/courses/international-relations",
				"type":            []any{"Achievement"},
				"achievementType": "CertificateOfCompletion",
				"name":            "Certificate Course in International Relations",
				"description":     "Six-week online course",
				"criteria": map[string]any{
					"narrative": "Completed all requirements of the Certificate Course in International Relations.",
				},
			},
			"activityEndDate": "2025-11-27T00:00:00Z",
			"term":            "Autumn 2026",
		},
		"credentialStatus": map[string]any{
			"id":                   "http://localhost:3000/credentials/status/1#94567",
			"type":                 "BitstringStatusListEntry",
			"statusPurpose":        "revocation",
			"statusListIndex":      "94567",
			"statusListCredential": "http://localhost:3000/credentials/status/1",
		},
	}
	for k, want := range checks {
		if !reflect.DeepEqual(p[k], want) {
			t.Errorf("payload %s = %#v\nwant %#v", k, p[k], want)
		}
	}
	for k := range p {
		if _, ok := checks[k]; !ok {
			t.Errorf("unexpected payload member %q = %v", k, p[k])
		}
	}
}

func TestStatusIsOptional(t *testing.T) {
	p := segment(t, mustSign(t, mustKey(t), sampleClaims()), 1)
	if _, ok := p["credentialStatus"]; ok {
		t.Error("credentialStatus present although Status is nil")
	}
}

func TestTamperedPayload(t *testing.T) {
	priv := mustKey(t)
	keys := []ed25519.PublicKey{pubOf(priv)}
	tok := mustSign(t, priv, sampleClaims())
	parts := strings.Split(tok, ".")
	for i := 0; i < len(parts[1]); i += 7 {
		b := []byte(parts[1])
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		forged := parts[0] + "." + string(b) + "." + parts[2]
		if _, err := Verify(forged, keys); !errors.Is(err, ErrTampered) {
			t.Fatalf("payload byte %d changed: Verify = %v, want ErrTampered", i, err)
		}
	}
	sig := []byte(parts[2])
	sig[3] ^= 1
	if _, err := Verify(parts[0]+"."+parts[1]+"."+string(sig), keys); !errors.Is(err, ErrTampered) {
		t.Errorf("signature changed: Verify = %v, want ErrTampered", err)
	}
}

func TestResignedWithForeignKeyButOurKid(t *testing.T) {
	ours, theirs := mustKey(t), mustKey(t)
	c := sampleClaims()
	body, err := json.Marshal(payload{document: c.document(), Iss: c.IssuerID(), Sub: c.SubjectID(), Jti: c.CredentialID(), Nbf: c.IssuedAt.Unix()})
	if err != nil {
		t.Fatal(err)
	}
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", KeyID(pubOf(ours)))
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: theirs}, opts)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(body)
	if err != nil {
		t.Fatal(err)
	}
	forged, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Verify(forged, []ed25519.PublicKey{pubOf(ours)}); !errors.Is(err, ErrTampered) {
		t.Errorf("Verify = %v, want ErrTampered", err)
	}
}

func TestOtherKeyFails(t *testing.T) {
	signer, other := mustKey(t), mustKey(t)
	tok := mustSign(t, signer, sampleClaims())
	_, err := Verify(tok, []ed25519.PublicKey{pubOf(other)})
	if !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Verify with another key = %v, want ErrUnknownKey", err)
	}
	if _, err := Verify(tok, nil); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Verify with no keys = %v, want ErrUnknownKey", err)
	}
	jwks, err := JWKS(testIssuer, pubOf(other))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyJWKS(tok, jwks); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("VerifyJWKS with another key = %v, want ErrUnknownKey", err)
	}
}

// unsigned builds a token with the given header around a real payload.
func unsigned(t *testing.T, header string, tok string, sig []byte) string {
	t.Helper()
	parts := strings.Split(tok, ".")
	return base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + parts[1] + "." +
		base64.RawURLEncoding.EncodeToString(sig)
}

func TestOnlyEdDSAAccepted(t *testing.T) {
	priv := mustKey(t)
	pub := pubOf(priv)
	keys := []ed25519.PublicKey{pub}
	tok := mustSign(t, priv, sampleClaims())
	kid := KeyID(pub)

	none := unsigned(t, `{"alg":"none","typ":"JWT"}`, tok, nil)
	noneKid := unsigned(t, `{"alg":"none","typ":"JWT","kid":"`+kid+`"}`, tok, nil)

	// HS256 keyed with the public key: the classic algorithm confusion.
	h := base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT","kid":"` + kid + `"}`))
	p := strings.Split(tok, ".")[1]
	mac := hmac.New(sha256.New, pub)
	mac.Write([]byte(h + "." + p))
	hs256 := h + "." + p + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))

	for name, forged := range map[string]string{"none": none, "none with kid": noneKid, "HS256": hs256} {
		if _, err := Verify(forged, keys); !errors.Is(err, ErrTampered) {
			t.Errorf("%s: Verify = %v, want ErrTampered", name, err)
		}
	}
}

func TestMalformedTokens(t *testing.T) {
	keys := []ed25519.PublicKey{pubOf(mustKey(t))}
	for _, tok := range []string{"", ".", "..", "a.b.c", "not a token", strings.Repeat("A", 70000),
		"eyJhbGciOiJFZERTQSJ9.e30.", "eyJhbGciOiJFZERTQSJ9..c2ln"} {
		if _, err := Verify(tok, keys); !errors.Is(err, ErrTampered) {
			t.Errorf("Verify(%.20q) = %v, want ErrTampered", tok, err)
		}
	}
}

// signPayload signs an arbitrary claims set with priv the way Sign does.
func signPayload(t *testing.T, priv ed25519.PrivateKey, v any) string {
	t.Helper()
	body, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", KeyID(pubOf(priv)))
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: priv}, opts)
	if err != nil {
		t.Fatal(err)
	}
	jws, err := signer.Sign(body)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := jws.CompactSerialize()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func TestInconsistentClaimsRejected(t *testing.T) {
	priv := mustKey(t)
	keys := []ed25519.PublicKey{pubOf(priv)}
	c := sampleClaims()
	good := func() payload {
		return payload{document: c.document(), Iss: c.IssuerID(), Sub: c.SubjectID(), Jti: c.CredentialID(), Nbf: c.IssuedAt.Unix()}
	}
	tests := map[string]func(p *payload){
		"iss differs":      func(p *payload) { p.Iss = "https://evil.example/issuer" },
		"jti differs":      func(p *payload) { p.Jti = "https://evil.example/certificates/1" },
		"sub differs":      func(p *payload) { p.Sub = "" },
		"nbf differs":      func(p *payload) { p.Nbf++ },
		"not a badge":      func(p *payload) { p.Type = []string{"VerifiableCredential"} },
		"no OB context":    func(p *payload) { p.Context = []string{ContextVC} },
		"code malformed":   func(p *payload) { p.ID = c.BaseURL + "/certificates/nope"; p.Jti = p.ID },
		"no name":          func(p *payload) { p.CredentialSubject.Identifier = nil },
		"hashed name only": func(p *payload) { p.CredentialSubject.Identifier[0].Hashed = true },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			p := good()
			mutate(&p)
			if _, err := Verify(signPayload(t, priv, p), keys); !errors.Is(err, ErrTampered) {
				t.Errorf("Verify = %v, want ErrTampered", err)
			}
		})
	}
	if _, err := Verify(signPayload(t, priv, good()), keys); err != nil {
		t.Errorf("control: Verify = %v", err)
	}
}

func TestValidityPeriod(t *testing.T) {
	priv := mustKey(t)
	keys := []ed25519.PublicKey{pubOf(priv)}
	c := sampleClaims()
	tok := mustSign(t, priv, c)
	if _, err := verifyAt(tok, keys, c.IssuedAt.Add(-time.Hour)); !errors.Is(err, ErrNotYetValid) {
		t.Errorf("an hour before issue: %v, want ErrNotYetValid", err)
	}
	if _, err := verifyAt(tok, keys, c.IssuedAt.Add(-time.Minute)); err != nil {
		t.Errorf("a minute before issue (clock skew): %v", err)
	}
	p := payload{document: c.document(), Iss: c.IssuerID(), Sub: c.SubjectID(), Jti: c.CredentialID(),
		Nbf: c.IssuedAt.Unix(), Exp: c.IssuedAt.Add(24 * time.Hour).Unix()}
	if _, err := verifyAt(signPayload(t, priv, p), keys, c.IssuedAt.Add(48*time.Hour)); !errors.Is(err, ErrExpired) {
		t.Errorf("after exp: %v, want ErrExpired", err)
	}
}

func TestLegacyVCClaimAccepted(t *testing.T) {
	priv := mustKey(t)
	c := sampleClaims()
	doc := c.document()
	doc.IssuanceDate, doc.ValidFrom = doc.ValidFrom, ""
	doc.Context = []string{"https://www.w3.org/2018/credentials/v1", "https://purl.imsglobal.org/spec/ob/v3p0/context.json"}
	legacy := map[string]any{
		"iss": c.IssuerID(), "sub": c.SubjectID(), "jti": c.CredentialID(),
		"nbf": c.IssuedAt.Unix(), "vc": doc,
	}
	v, err := Verify(signPayload(t, priv, legacy), []ed25519.PublicKey{pubOf(priv)})
	if err != nil {
		t.Fatalf("Verify(legacy): %v", err)
	}
	if v.RecipientName != c.RecipientName || v.Code != c.Code || !v.IssuedAt.Equal(c.IssuedAt) {
		t.Errorf("legacy claims = %+v", v.Claims)
	}
}

func TestSignRejectsInvalidClaims(t *testing.T) {
	priv := mustKey(t)
	tests := map[string]func(c *Claims){
		"empty code":         func(c *Claims) { c.Code = "" },
		"lower-case code":    func(c *Claims) { c.Code = "7kq2m-9xdt4-rab3c" },
		"code with slash":    func(c *Claims) { c.Code = "../../x" },
		"empty name":         func(c *Claims) { c.RecipientName = "  " },
		"huge name":          func(c *Claims) { c.RecipientName = strings.Repeat("a", 501) },
		"invalid UTF-8":      func(c *Claims) { c.RecipientName = "a\xffb" },
		"empty course":       func(c *Claims) { c.CourseTitle = "" },
		"empty subtitle":     func(c *Claims) { c.CourseSubtitle = "" },
		"empty issuer":       func(c *Claims) { c.IssuerName = "" },
		"relative base":      func(c *Claims) { c.BaseURL = "localhost:3000" },
		"javascript base":    func(c *Claims) { c.BaseURL = "javascript://x" },
		"base with query":    func(c *Claims) { c.BaseURL = "http://x/?a=b" },
		"empty achievement":  func(c *Claims) { c.AchievementID = "" },
		"bad achievement":    func(c *Claims) { c.AchievementID = "courses/ir" },
		"zero issue time":    func(c *Claims) { c.IssuedAt = time.Time{} },
		"no base":            func(c *Claims) { c.BaseURL = "" },
		"ftp achievement id": func(c *Claims) { c.AchievementID = "ftp://x/y" },
	}
	for name, mutate := range tests {
		t.Run(name, func(t *testing.T) {
			c := sampleClaims()
			mutate(&c)
			_, err := Sign(priv, c)
			if !errors.Is(err, ErrInvalidClaims) {
				t.Errorf("Sign = %v, want ErrInvalidClaims", err)
			}
			if err != nil && !strings.HasPrefix(err.Error(), "credential: unable to sign: ") {
				t.Errorf("error %q lacks the layer prefix", err)
			}
		})
	}
	if _, err := Sign(ed25519.PrivateKey("short"), sampleClaims()); !errors.Is(err, ErrInvalidKey) {
		t.Errorf("Sign with a short key = %v, want ErrInvalidKey", err)
	}
}

func TestBaseURLTrailingSlashAndAbsoluteAchievement(t *testing.T) {
	priv := mustKey(t)
	c := sampleClaims()
	c.BaseURL = "https://certs.example.org/portal/"
	c.AchievementID = "https://catalog.example.org/ir"
	v, err := Verify(mustSign(t, priv, c), []ed25519.PublicKey{pubOf(priv)})
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if v.CredentialID != "https://certs.example.org/portal/certificates/7KQ2M-9XDT4-RAB3C" ||
		v.BaseURL != "https://certs.example.org/portal" || v.AchievementID != c.AchievementID {
		t.Errorf("got id %q, base %q, achievement %q", v.CredentialID, v.BaseURL, v.AchievementID)
	}
}
