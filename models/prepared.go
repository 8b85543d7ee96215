package models

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// preparedStatements keeps the hot paths' statements prepared on the
// database handle, so that they are parsed and planned once per connection
// rather than on every request (SQLite re-parses any statement it is sent
// as text), and scanned without GORM's builder or reflection over models.
type preparedStatements struct {
	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
	// dollars are queries with PostgreSQL's placeholders, for pgx.
	dollars map[string]string
	// plans are the scan plans of pgx rows (prepared_pgx.go).
	plans map[planKey]*rowPlan
}

func newPreparedStatements() *preparedStatements {
	return &preparedStatements{stmts: map[string]*sql.Stmt{}, dollars: map[string]string{}, plans: map[planKey]*rowPlan{}}
}

// prepared returns the statement for query (written with ? placeholders),
// preparing it on first use.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	ps := s.statements
	ps.mu.RLock()
	stmt, ok := ps.stmts[query]
	ps.mu.RUnlock()
	if ok {
		return stmt, nil
	}
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if stmt, ok := ps.stmts[query]; ok {
		return stmt, nil
	}
	sqlDB, err := s.db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	text := query
	if s.dialect == Postgres {
		text = dollarPlaceholders(query)
	}
	// Kept open for the life of the store, like GORM's own prepared statements.
	stmt, err = sqlDB.PrepareContext(ctx, text) //nolint:sqlclosecheck // kept for reuse; closed with the database
	if err != nil {
		return nil, fmt.Errorf("store: unable to prepare a statement: %w", err)
	}
	ps.stmts[query] = stmt
	return stmt, nil
}

// queryRowPrepared runs a prepared query, counted like GORM's statements,
// and scans its first row into dests; found is false when it has none.
func (s *Store) queryRowPrepared(ctx context.Context, query string, args []any, dests ...any) (found bool, err error) {
	if s.dialect == Postgres {
		return s.queryRowPgx(ctx, query, args, dests)
	}
	rows, err := s.queryPrepared(ctx, query, args)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if rows.Next() {
		if err := rows.Scan(dests...); err != nil {
			return false, err
		}
		found = true
	}
	return found, rows.Err()
}

// queryRowsPrepared runs a prepared query, counted like GORM's statements,
// scanning each of its rows into dests and then calling each.
func (s *Store) queryRowsPrepared(ctx context.Context, query string, args, dests []any, each func() error) error {
	if s.dialect == Postgres {
		return s.queryRowsPgx(ctx, query, args, dests, each)
	}
	rows, err := s.queryPrepared(ctx, query, args)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := rows.Scan(dests...); err != nil {
			return err
		}
		if err := each(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// queryPrepared runs a prepared query through database/sql (SQLite's
// way), counted like GORM's statements.
func (s *Store) queryPrepared(ctx context.Context, query string, args []any) (*sql.Rows, error) {
	stmt, err := s.prepared(ctx, query) //nolint:sqlclosecheck // the store keeps it; the caller closes the rows
	if err != nil {
		return nil, err
	}
	s.countStatement()
	return stmt.QueryContext(ctx, args...)
}

// countStatement tells a registered QueryCounter about a statement sent
// outside GORM.
func (s *Store) countStatement() {
	if q, ok := s.db.Config.Plugins[queryCounterName].(*QueryCounter); ok {
		q.n.Add(1)
	}
}

// dollarPlaceholders numbers ? placeholders as PostgreSQL's $1, $2 …; the
// statements given never hold a ? inside a string literal.
func dollarPlaceholders(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] != '?' {
			b.WriteByte(query[i])
			continue
		}
		n++
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(n))
	}
	return b.String()
}
