package models

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
)

// SecretKey returns the 256-bit server key for an HMAC purpose, creating it
// on first use. It is kept in the database beside the signing key, so every
// instance uses the same one and it survives restarts; instances racing to
// create it all end up with the winner's.
func (s *Store) SecretKey(ctx context.Context, purpose string) ([]byte, error) {
	key, err := s.loadSecretKey(ctx, purpose)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return key, err
	}
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("store: unable to read random bytes: %w", err)
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	err = db.Exec(`INSERT INTO signing_keys (purpose, key_id, private_pem, created_at) VALUES (?, ?, ?, ?)
ON CONFLICT (purpose) DO NOTHING`, purpose, "hmac-sha256", base64.StdEncoding.EncodeToString(fresh), s.clock.Now()).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to save secret key: %w", err)
	}
	return s.loadSecretKey(ctx, purpose)
}

func (s *Store) loadSecretKey(ctx context.Context, purpose string) ([]byte, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var k SigningKey
	if err := db.Where("purpose = ?", purpose).Take(&k).Error; err != nil {
		return nil, notFound(err)
	}
	key, err := base64.StdEncoding.DecodeString(k.PrivatePEM)
	if err != nil || len(key) != 32 {
		return nil, fmt.Errorf("store: stored secret key %q is unreadable", purpose)
	}
	return key, nil
}
