package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// ServerSecret is a random key kept in the database, so every instance
// derives the same values from it.
type ServerSecret struct {
	Name      string `gorm:"primaryKey"`
	Secret    string
	CreatedAt time.Time
}

// serverSecretBytes is the size of every server secret: 256 bits.
const serverSecretBytes = 32

// ServerSecret returns the named secret, creating it on first use. Instances
// racing to create it all end up with the winner's.
func (s *Store) ServerSecret(ctx context.Context, name string) ([]byte, error) {
	secret, err := s.loadServerSecret(ctx, name)
	if err == nil || !errors.Is(err, ErrNotFound) {
		return secret, err
	}
	fresh := make([]byte, serverSecretBytes)
	if _, err := rand.Read(fresh); err != nil {
		return nil, fmt.Errorf("store: unable to read random bytes: %w", err)
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	err = db.Exec(`INSERT INTO server_secrets (name, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING`,
		name, hex.EncodeToString(fresh), s.clock.Now()).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to save server secret: %w", err)
	}
	return s.loadServerSecret(ctx, name)
}

func (s *Store) loadServerSecret(ctx context.Context, name string) ([]byte, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var row ServerSecret
	if err := db.Where("name = ?", name).Take(&row).Error; err != nil {
		return nil, notFound(err)
	}
	secret, err := hex.DecodeString(row.Secret)
	if err != nil || len(secret) != serverSecretBytes {
		return nil, fmt.Errorf("store: stored server secret %q is unreadable", name)
	}
	return secret, nil
}
