package credential

import (
	"strings"
	"testing"
)

// courseportal verify's parsing: any credential and key set get a verdict
// or an error, never a panic, and a verdict names what was signed.
func FuzzVerifyJWKS(f *testing.F) {
	f.Fuzz(func(t *testing.T, token string, jwks []byte) {
		v, err := VerifyJWKS(strings.TrimSpace(token), jwks)
		if err != nil {
			if v != nil {
				t.Fatalf("an error (%v) with a verdict", err)
			}
			return
		}
		if v.Code == "" || v.RecipientName == "" || v.CourseTitle == "" || v.CompletedAt.IsZero() {
			t.Fatalf("a valid credential without its content: %+v", v)
		}
	})
}
