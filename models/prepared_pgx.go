package models

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// errNotPgx is a PostgreSQL connection that pgx's database/sql driver did
// not open.
var errNotPgx = errors.New("store: the PostgreSQL connection is not pgx's")

// queryRowPgx runs a hot path's query on PostgreSQL through pgx itself,
// beneath database/sql, on a connection of the same pool: database/sql turns
// every column into a driver.Value and converts it again into its
// destination (an allocation or two a column, and a reader view reads
// sixty), where pgx decodes straight into the destination. pgx prepares the
// statement once per connection and keeps it (its statement cache), as the
// prepared *sql.Stmt did.
func (s *Store) queryRowPgx(ctx context.Context, query string, args, dests []any) (found bool, err error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	text := s.statements.dollarText(query)
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer func() {
		if cerr := conn.Close(); err == nil {
			err = cerr
		}
	}()
	s.countStatement()
	err = conn.Raw(func(driverConn any) error {
		pc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return errNotPgx
		}
		return pc.Conn().QueryRow(ctx, text, args...).Scan(dests...)
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// dollarText is query with PostgreSQL's numbered placeholders, converted on
// first use.
func (ps *preparedStatements) dollarText(query string) string {
	ps.mu.RLock()
	text, ok := ps.dollars[query]
	ps.mu.RUnlock()
	if ok {
		return text
	}
	text = dollarPlaceholders(query)
	ps.mu.Lock()
	ps.dollars[query] = text
	ps.mu.Unlock()
	return text
}
