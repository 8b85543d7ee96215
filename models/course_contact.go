package models

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// Contact is how to reach a course team.
type Contact struct {
	Provider string
	Email    string
	URL      string
	Phone    string
}

// Host is the contact's web address without its scheme, for display.
func (c Contact) Host() string {
	host := strings.TrimPrefix(strings.TrimPrefix(c.URL, "https://"), "http://")
	return strings.TrimSuffix(host, "/")
}

// SiteContact is the contact the site shows on every page: that of the
// first published course that has one. It is the zero Contact when no
// course names one.
func (s *Store) SiteContact(ctx context.Context) (Contact, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var c Contact
	err := db.Model(&Course{}).Select("provider, contact_email AS email, contact_url AS url, contact_phone AS phone").
		Where("published = ? AND contact_email <> ?", true, "").Order("id").Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return Contact{}, nil
	}
	if err != nil {
		return Contact{}, fmt.Errorf("store: unable to read the site contact: %w", err)
	}
	return c, nil
}
