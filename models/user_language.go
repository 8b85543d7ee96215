package models

import (
	"context"
	"fmt"

	"courseportal/views/i18n"
)

// UseLanguages sets the catalogue mail is written from (tests add the
// pseudo-locale); a new store uses the shipped one.
func (s *Store) UseLanguages(c *i18n.Catalogue) { s.langs = c }

// Languages is the catalogue mail is written from.
func (s *Store) Languages() *i18n.Catalogue { return s.langs }

// localizer is the language to write to a person in: their choice, else
// the default language.
func (s *Store) localizer(u *User) *i18n.Localizer { return s.langs.For(u.Language) }

// SetLanguage saves the interface language a person chose; "" goes back to
// following the browser. Only a language offered in the selector is taken.
func (s *Store) SetLanguage(ctx context.Context, u *User, code string) error {
	if code != "" {
		loc, ok := s.langs.Lookup(code)
		if !ok {
			return Invalid("lang", "Choose one of the languages offered.")
		}
		code = loc.Code()
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	err := db.Model(&User{}).Where("id = ?", u.ID).
		Updates(map[string]any{"language": code, "updated_at": s.clock.Now()}).Error
	if err != nil {
		return fmt.Errorf("store: unable to save the language: %w", err)
	}
	u.Language = code
	return nil
}
