package models

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"courseportal/models/credential"
)

// SigningKey is a private key kept in the database, so every instance signs
// with the same key and it survives restarts.
type SigningKey struct {
	ID         int64
	Purpose    string
	KeyID      string
	PrivatePEM string
	CreatedAt  time.Time
}

// CredentialKey returns the Ed25519 key that signs credentials, creating it
// on first use. Instances racing to create it all end up with the winner's.
func (s *Store) CredentialKey(ctx context.Context) (ed25519.PrivateKey, error) {
	const purpose = "credential"
	key, err := s.loadKey(ctx, purpose)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return key, err
	}
	priv, err := credential.GenerateKey()
	if err != nil {
		return nil, err
	}
	pemBytes, err := credential.MarshalPrivateKey(priv)
	if err != nil {
		return nil, err
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	err = db.Exec(`INSERT INTO signing_keys (purpose, key_id, private_pem, created_at) VALUES (?, ?, ?, ?)
ON CONFLICT (purpose) DO NOTHING`, purpose, credential.KeyID(priv.Public().(ed25519.PublicKey)), string(pemBytes), s.clock.Now()).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to save signing key: %w", err)
	}
	return s.loadKey(ctx, purpose)
}

func (s *Store) loadKey(ctx context.Context, purpose string) (ed25519.PrivateKey, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var k SigningKey
	if err := db.Where("purpose = ?", purpose).Take(&k).Error; err != nil {
		return nil, notFound(err)
	}
	priv, err := credential.ParsePrivateKey([]byte(k.PrivatePEM))
	if err != nil {
		return nil, fmt.Errorf("store: stored signing key is unreadable: %w", err)
	}
	return priv, nil
}
