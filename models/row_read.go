package models

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgtype"
)

// readRow reads one row of a hot path's query into dests through the
// prepared statements (queryRowPrepared), without GORM's builder or its
// reflection over the model, under the query deadline; ErrNotFound when
// there is none. what names the row in errors.
func (s *Store) readRow(ctx context.Context, what, query string, args []any, dests ...any) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	found, err := s.queryRowPrepared(ctx, query, args, dests...)
	if err != nil {
		return fmt.Errorf("store: unable to load %s: %w", what, err)
	}
	if !found {
		return ErrNotFound
	}
	return nil
}

// readRows is readRow for every row of a query: each row is scanned into
// the same dests, and each is called after every row to take what it
// needs from them before the next row overwrites them. An error of each
// stops the reading and is returned as it is.
func (s *Store) readRows(ctx context.Context, what, query string, args, dests []any, each func() error) error {
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	var eachErr error
	err := s.queryRowsPrepared(ctx, query, args, dests, func() error {
		eachErr = each()
		return eachErr
	})
	if eachErr != nil {
		return eachErr
	}
	if err != nil {
		return fmt.Errorf("store: unable to load %s: %w", what, err)
	}
	return nil
}

// qualified is a list of columns ("id, name") with each named as the
// table alias's ("co.id, co.name"), for a statement that joins tables
// sharing column names.
func qualified(alias, columns string) string {
	return alias + "." + strings.ReplaceAll(columns, ", ", ", "+alias+".")
}

// nullBool is a nullable boolean column that pgx decodes straight into it
// (ScanBool), where sql.NullBool alone would take the value boxed, through
// database/sql's conversions; SQLite's driver, which gives booleans as
// integers, still reads it through sql.NullBool's Scan.
type nullBool struct{ sql.NullBool }

// ScanBool is pgx's way into a nullBool.
func (b *nullBool) ScanBool(v pgtype.Bool) error {
	b.Bool, b.Valid = v.Bool, v.Valid
	return nil
}
