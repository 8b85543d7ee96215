package routes_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"courseportal/models/credential"

	"github.com/piprate/json-gold/ld"
)

// issuerDependent is the VC 2.0 context's @vocab: a term that no context
// defines expands into it instead of being dropped, so a safe-mode expansion
// alone would not notice it.
const issuerDependent = "https://www.w3.org/ns/credentials/issuer-dependent#"

// localContexts serves the two contexts the portal's documents name from
// testdata/jsonld, and refuses every other URL: the tests use no network.
type localContexts map[string]string

func (l localContexts) LoadDocument(u string) (*ld.RemoteDocument, error) {
	file, ok := l[u]
	if !ok {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, "no local copy of "+u)
	}
	raw, err := os.ReadFile(filepath.Join("testdata", "jsonld", file))
	if err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, ld.NewJsonLdError(ld.LoadingDocumentFailed, err)
	}
	if u == credential.ContextOB {
		dropScopedImage(doc)
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}

// dropScopedImage removes the OB 3.0.3 context's type-scoped redefinitions
// of its own protected term "image" (Profile: image-3, AchievementSubject:
// image-1). json-gold, reading JSON-LD 1.1 strictly (only property-scoped
// contexts may override a protected term), rejects them as soon as a node
// of either type is expanded, whatever the node holds. The portal's
// documents carry no image, so every term they do use is still checked.
func dropScopedImage(doc map[string]any) {
	ctx, _ := doc["@context"].(map[string]any)
	for _, typ := range []string{"Profile", "AchievementSubject"} {
		def, _ := ctx[typ].(map[string]any)
		if scoped, ok := def["@context"].(map[string]any); ok {
			delete(scoped, "image")
		}
	}
}

// expandSafely expands doc in JSON-LD 1.1 safe mode (a property that does
// not expand to an IRI is an error, not dropped) and returns the terms that
// fell through to the issuer-dependent vocabulary, sorted.
func expandSafely(t *testing.T, doc map[string]any) []string {
	t.Helper()
	opts := ld.NewJsonLdOptions("")
	opts.ProcessingMode = ld.JsonLd_1_1
	opts.SafeMode = true
	opts.DocumentLoader = localContexts{
		credential.ContextVC: "credentials-v2.json",
		credential.ContextOB: "ob-context-3.0.3.json",
	}
	expanded, err := ld.NewJsonLdProcessor().Expand(doc, opts)
	if err != nil {
		t.Fatalf("safe-mode expansion failed: %v", err)
	}
	if len(expanded) != 1 {
		t.Fatalf("expansion gave %d top-level nodes, want 1", len(expanded))
	}
	undefined := map[string]bool{}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for k, x := range v {
				if strings.HasPrefix(k, issuerDependent) {
					undefined[strings.TrimPrefix(k, issuerDependent)] = true
				}
				if k == "@type" {
					for _, typ := range asSlice(x) {
						if s, _ := typ.(string); strings.HasPrefix(s, issuerDependent) {
							undefined["type "+strings.TrimPrefix(s, issuerDependent)] = true
						}
					}
				}
				walk(x)
			}
		}
	}
	walk(expanded)
	var out []string
	for k := range undefined {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func asSlice(v any) []any {
	if s, ok := v.([]any); ok {
		return s
	}
	return []any{v}
}

// TestIssuerProfileAndCredentialAreWellFormedJSONLD expands the issuer
// profile and a signed credential (with its status entry) against the VC 2.0
// and OB 3.0 contexts: every property and type must be one those contexts
// define.
func TestIssuerProfileAndCredentialAreWellFormedJSONLD(t *testing.T) {
	e := newEnv(t)
	_, code := completeSeeded(t, e, "Zoë Ñúñez-Øberg")
	c := e.client()

	profileRes := c.get("/issuer")
	if profileRes.Status != http.StatusOK {
		t.Fatalf("/issuer = %d", profileRes.Status)
	}
	profile := profileRes.json(t)
	if undefined := expandSafely(t, profile); len(undefined) > 0 {
		t.Errorf("issuer profile uses terms no context defines: %v\n%s", undefined, profileRes.Body)
	}

	token := c.get("/certificates/" + code + "/credential")
	if token.Status != http.StatusOK {
		t.Fatalf("credential = %d", token.Status)
	}
	payload, header := decodeJWT(t, token.Body)
	if _, ok := payload["credentialStatus"]; !ok {
		t.Fatal("the credential carries no credentialStatus")
	}
	// jti is the JWT claim OB 3.0 §8.2 requires beside the credential's id;
	// the VC 2.0 context defines the other registered claims (iss, sub, nbf,
	// iat) but not this one, so it is the single term left to the
	// issuer-dependent vocabulary.
	if undefined := expandSafely(t, payload); len(undefined) != 1 || undefined[0] != "jti" {
		t.Errorf("credential payload uses terms no context defines: %v (want only the JWT claim jti)", undefined)
	}
	// The credential itself, without the JWT's registered claims, uses none.
	doc := map[string]any{}
	for k, v := range payload {
		switch k {
		case "iss", "sub", "jti", "nbf", "iat", "exp":
		default:
			doc[k] = v
		}
	}
	if undefined := expandSafely(t, doc); len(undefined) > 0 {
		t.Errorf("credential uses terms no context defines: %v", undefined)
	}

	// The profile and the credential's issuer are the same issuer.
	issuer, _ := payload["issuer"].(map[string]any)
	if issuer["id"] != profile["id"] || issuer["url"] != profile["url"] || issuer["name"] != profile["name"] {
		t.Errorf("credential issuer %v differs from the profile %v", issuer, profile)
	}

	// The token's kid is a URL that dereferences to the JWK that verifies
	// it, and the same kid names the key in the JWKS.
	kid, _ := header["kid"].(string)
	if !strings.HasPrefix(kid, "http://portal.test/issuer/keys/") {
		t.Fatalf("kid = %q, want a URL under the issuer", kid)
	}
	jwkRes := c.get(strings.TrimPrefix(kid, "http://portal.test"))
	if jwkRes.Status != http.StatusOK || jwkRes.Header.Get("Content-Type") != "application/jwk+json" {
		t.Fatalf("GET kid = %d %q", jwkRes.Status, jwkRes.Header.Get("Content-Type"))
	}
	jwk := jwkRes.json(t)
	if jwk["kid"] != kid || jwk["kty"] != "OKP" || jwk["crv"] != "Ed25519" {
		t.Fatalf("JWK at kid = %v", jwk)
	}
	if _, ok := jwk["d"]; ok {
		t.Fatal("the published JWK holds the private key")
	}
	if _, err := credential.VerifyJWKS(token.Body, []byte(`{"keys":[`+jwkRes.Body+`]}`)); err != nil {
		t.Fatalf("the JWK at kid does not verify the credential: %v", err)
	}
	jwks := c.get("/.well-known/jwks.json").json(t)
	keys, _ := jwks["keys"].([]any)
	if len(keys) != 1 || keys[0].(map[string]any)["kid"] != kid {
		t.Errorf("JWKS keys = %v, want the one key with kid %s", keys, kid)
	}
	if res := c.get("/issuer/keys/not-a-key"); res.Status != http.StatusNotFound {
		t.Errorf("unknown key = %d, want 404", res.Status)
	}
}

// decodeJWT returns a compact JWS's payload and header, unverified.
func decodeJWT(t *testing.T, token string) (payload, header map[string]any) {
	t.Helper()
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	part := func(i int) map[string]any {
		raw, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		m := map[string]any{}
		if err := json.Unmarshal(raw, &m); err != nil {
			t.Fatalf("part %d: %v", i, fmt.Errorf("not JSON: %w", err))
		}
		return m
	}
	return part(1), part(0)
}
