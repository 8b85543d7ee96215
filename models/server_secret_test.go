package models_test

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// Instances starting together all end up with one secret.
func TestServerSecretIsSharedAndStable(t *testing.T) {
	store, clock := testdb.Open(t)
	ctx := context.Background()
	other := models.NewStore(store.DB(), store.Dialect(), clock)
	secrets := make([][]byte, 8)
	errs := make([]error, len(secrets))
	var wg sync.WaitGroup
	for i := range secrets {
		wg.Go(func() {
			s := store
			if i%2 == 1 {
				s = other
			}
			secrets[i], errs[i] = s.ServerSecret(ctx, "csrf")
		})
	}
	wg.Wait()
	for i := range secrets {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if len(secrets[i]) != 32 || !bytes.Equal(secrets[i], secrets[0]) {
			t.Fatalf("secret %d = %x, want the same 32 bytes as %x", i, secrets[i], secrets[0])
		}
	}
	again, err := store.ServerSecret(ctx, "csrf")
	if err != nil || !bytes.Equal(again, secrets[0]) {
		t.Fatalf("secret read again = %x (%v), want %x", again, err, secrets[0])
	}
	another, err := store.ServerSecret(ctx, "device")
	if err != nil || bytes.Equal(another, secrets[0]) {
		t.Fatalf("a second secret = %x (%v), want one of its own", another, err)
	}
}
