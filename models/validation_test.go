package models_test

import (
	"slices"
	"testing"

	"courseportal/models"
)

func TestNewAccountReportsEveryInvalidField(t *testing.T) {
	a := models.NewAccount{FullName: " ", Email: "not an address", Password: "short"}
	err := a.Validate()
	var fields []string
	for _, v := range models.Validations(err) {
		fields = append(fields, v.Field)
	}
	if want := []string{"full_name", "email", "password"}; !slices.Equal(fields, want) {
		t.Fatalf("invalid fields = %v, want %v (%v)", fields, want, err)
	}
	// An answer that names one field (the JSON API) names the first.
	if v, ok := models.AsValidation(err); !ok || v.Field != "full_name" {
		t.Errorf("AsValidation = %v, %v; want the full_name error", v, ok)
	}
	good := models.NewAccount{FullName: "Nadia Karimi", Email: "Nadia@Example.org", Password: "tulip harbour lantern"}
	if err := good.Validate(); err != nil || good.Email != "nadia@example.org" {
		t.Errorf("a good account: %v, email %q", err, good.Email)
	}
}
