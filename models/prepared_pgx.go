package models

import (
	"context"
	"errors"
	"fmt"
	"reflect"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/stdlib"
)

// errNotPgx is a PostgreSQL connection that pgx's database/sql driver did
// not open.
var errNotPgx = errors.New("store: the PostgreSQL connection is not pgx's")

// queryRowPgx runs a hot path's query on PostgreSQL through pgx itself,
// beneath database/sql, on a connection of the same pool: database/sql turns
// every column into a driver.Value and converts it again into its
// destination, an allocation or two a column (a reader view reads sixty),
// where pgx decodes straight into the destination, with plans kept per
// query and connection (rowPlans). pgx prepares the statement once per
// connection and keeps it (its statement cache), as the prepared *sql.Stmt
// did.
func (s *Store) queryRowPgx(ctx context.Context, query string, args, dests []any) (found bool, err error) {
	text := s.statements.dollarText(query)
	err = s.withPgxConn(ctx, func(c *pgx.Conn) error {
		found, err = s.statements.scanRow(ctx, c, query, text, args, dests)
		return err
	})
	return found, err
}

// queryRowsPgx is queryRowPgx for every row of a query: each row is
// decoded into dests, then each is called.
func (s *Store) queryRowsPgx(ctx context.Context, query string, args, dests []any, each func() error) error {
	text := s.statements.dollarText(query)
	return s.withPgxConn(ctx, func(c *pgx.Conn) error {
		return s.statements.scanRows(ctx, c, query, text, args, dests, each)
	})
}

// withPgxConn runs fn on the pgx connection beneath one of the pool's
// database/sql connections, counting the statement it sends.
func (s *Store) withPgxConn(ctx context.Context, fn func(c *pgx.Conn) error) (err error) {
	sqlDB, err := s.db.DB()
	if err != nil {
		return fmt.Errorf("store: %w", err)
	}
	conn, err := sqlDB.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := conn.Close(); err == nil {
			err = cerr
		}
	}()
	s.countStatement()
	return conn.Raw(func(driverConn any) error {
		pc, ok := driverConn.(*stdlib.Conn)
		if !ok {
			return errNotPgx
		}
		return fn(pc.Conn())
	})
}

// scanRow runs a query on c and decodes its first row into dests with the
// scan plans kept for this query and connection.
func (ps *preparedStatements) scanRow(ctx context.Context, c *pgx.Conn, query, text string, args, dests []any) (bool, error) {
	rows, err := c.Query(ctx, text, args...)
	if err != nil {
		return false, err
	}
	defer rows.Close()
	if !rows.Next() {
		return false, rows.Err()
	}
	if _, err := ps.decodeRow(c, query, rows, dests, nil); err != nil {
		return false, err
	}
	rows.Close()
	return true, rows.Err()
}

// scanRows runs a query on c and decodes each of its rows into dests,
// calling each after every row.
func (ps *preparedStatements) scanRows(ctx context.Context, c *pgx.Conn, query, text string, args, dests []any, each func() error) error {
	rows, err := c.Query(ctx, text, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	var plans []pgtype.ScanPlan
	for rows.Next() {
		if plans, err = ps.decodeRow(c, query, rows, dests, plans); err != nil {
			return err
		}
		if err := each(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// decodeRow decodes the current row into dests with the scan plans kept
// for this query and connection, or with plans when given (those of the
// result's earlier rows, whose columns are the same); it returns the plans
// it used.
func (ps *preparedStatements) decodeRow(c *pgx.Conn, query string, rows pgx.Rows, dests []any, plans []pgtype.ScanPlan) ([]pgtype.ScanPlan, error) {
	fields, raw := rows.FieldDescriptions(), rows.RawValues()
	if len(fields) != len(dests) || len(raw) != len(dests) {
		return nil, fmt.Errorf("store: %d columns for %d destinations", len(fields), len(dests))
	}
	if plans == nil {
		plans = ps.rowPlans(c, query, fields, dests)
	}
	for i, dest := range dests {
		if err := plans[i].Scan(raw[i], dest); err != nil {
			return nil, fmt.Errorf("store: unable to read column %s: %w", fields[i].Name, err)
		}
	}
	return plans, nil
}

// rowPlan is how one query's columns decode into their destinations on one
// connection. pgx plans every result anew, an allocation or two a column;
// a plan kept is valid while the columns' types and the destinations'
// types stay the same, which rowPlans checks on every use.
type rowPlan struct {
	oids    []uint32
	formats []int16
	types   []reflect.Type
	plans   []pgtype.ScanPlan
}

// planKey names a query's plan on one connection: plans come from the
// connection's own type map.
type planKey struct {
	conn  *pgx.Conn
	query string
}

// maxRowPlans bounds the plans kept (a few queries on each connection of
// the pool; connections closed leave theirs behind until the next reset).
const maxRowPlans = 256

// rowPlans returns the scan plans of a query's row on c, made when missing
// or no longer fitting.
func (ps *preparedStatements) rowPlans(c *pgx.Conn, query string, fields []pgconn.FieldDescription, dests []any) []pgtype.ScanPlan {
	key := planKey{conn: c, query: query}
	ps.mu.RLock()
	plan := ps.plans[key]
	ps.mu.RUnlock()
	if plan.fits(fields, dests) {
		return plan.plans
	}
	plan = &rowPlan{oids: make([]uint32, len(dests)), formats: make([]int16, len(dests)),
		types: make([]reflect.Type, len(dests)), plans: make([]pgtype.ScanPlan, len(dests))}
	for i, dest := range dests {
		plan.oids[i], plan.formats[i], plan.types[i] = fields[i].DataTypeOID, fields[i].Format, reflect.TypeOf(dest)
		plan.plans[i] = c.TypeMap().PlanScan(fields[i].DataTypeOID, fields[i].Format, dest)
	}
	ps.mu.Lock()
	if len(ps.plans) >= maxRowPlans {
		clear(ps.plans)
	}
	ps.plans[key] = plan
	ps.mu.Unlock()
	return plan.plans
}

// fits reports whether the plan was made for these columns and
// destinations.
func (p *rowPlan) fits(fields []pgconn.FieldDescription, dests []any) bool {
	if p == nil || len(p.plans) != len(dests) || len(fields) != len(dests) {
		return false
	}
	for i, dest := range dests {
		if p.oids[i] != fields[i].DataTypeOID || p.formats[i] != fields[i].Format || p.types[i] != reflect.TypeOf(dest) {
			return false
		}
	}
	return true
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
