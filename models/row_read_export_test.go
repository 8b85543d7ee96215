package models

import "context"

// ReadRows is readRows, for the reader's own tests.
func (s *Store) ReadRows(ctx context.Context, what, query string, args, dests []any, each func() error) error {
	return s.readRows(ctx, what, query, args, dests, each)
}
