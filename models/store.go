package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"courseportal/views/i18n"

	"gorm.io/gorm"
)

// queryTimeout bounds every database call, since Fiber's request context is
// not cancelled when a client goes away.
const queryTimeout = 10 * time.Second

// Store reads and writes the portal's data.
type Store struct {
	db      *gorm.DB
	dialect Dialect
	clock   Clock
	renders *renderCache
	// analyses keeps each check's latest item analysis (check_analysis.go).
	analyses *analysisCache
	events   Events
	// statements are the hot paths' prepared statements (prepared.go).
	statements *preparedStatements
	// langs are the languages mail is written in.
	langs *i18n.Catalogue
}

// NewStore wraps an opened database.
func NewStore(db *gorm.DB, dialect Dialect, clock Clock) *Store {
	if clock == nil {
		clock = SystemClock{}
	}
	return &Store{db: db, dialect: dialect, clock: clock, renders: newRenderCache(), analyses: newAnalysisCache(), events: noEvents{},
		statements: newPreparedStatements(), langs: i18n.Shipped()}
}

// Dialect reports which database the store talks to.
func (s *Store) Dialect() Dialect { return s.dialect }

// Now is the store's clock.
func (s *Store) Now() time.Time { return s.clock.Now() }

// DB exposes the handle for migrations, health checks and tests.
func (s *Store) DB() *gorm.DB { return s.db }

// conn returns a handle bound to ctx with the query deadline.
func (s *Store) conn(ctx context.Context) (*gorm.DB, context.CancelFunc) {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	return s.db.WithContext(ctx), cancel
}

// tx runs fn in one transaction with the query deadline.
func (s *Store) tx(ctx context.Context, fn func(tx *gorm.DB) error) error {
	pending := &pendingEvents{}
	db, cancel := s.conn(context.WithValue(ctx, pendingEventsKey{}, pending))
	defer cancel()
	if err := db.Transaction(fn); err != nil {
		return err
	}
	pending.report(s.events)
	return nil
}

// within returns a store whose queries run inside tx, so that the store's
// single-statement methods (SaveReading, CreateCohort, SetRole …) join the
// caller's transaction and its audit entry commits or rolls back with them.
func (s *Store) within(tx *gorm.DB) *Store {
	c := *s
	c.db = tx
	return &c
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return sqlDB.PingContext(ctx)
}

// greatest is the dialect's two-argument maximum.
func (s *Store) greatest() string {
	if s.dialect == Postgres {
		return "GREATEST"
	}
	return "MAX"
}

// least is the dialect's two-argument minimum.
func (s *Store) least() string {
	if s.dialect == Postgres {
		return "LEAST"
	}
	return "MIN"
}

// notFound turns gorm's not-found into the domain's.
func notFound(err error) error {
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ErrNotFound
	}
	return err
}

// isUniqueViolation recognises a unique-constraint failure on either database.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, gorm.ErrDuplicatedKey) {
		return true
	}
	msg := err.Error()
	return strings.Contains(msg, "SQLSTATE 23505") || strings.Contains(msg, "UNIQUE constraint failed") ||
		strings.Contains(msg, "duplicate key value")
}

// likePattern escapes LIKE's wildcards so user text matches literally.
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(q)) + "%"
}
