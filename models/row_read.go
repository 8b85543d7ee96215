package models

import (
	"context"
	"fmt"
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
