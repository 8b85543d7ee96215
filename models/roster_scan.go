package models

import (
	"database/sql"
	"fmt"

	"gorm.io/gorm"
)

// The roster's statements are read column by column into their fields:
// GORM's scanning finds each field by reflection on every row, a good part
// of a roster page's cost.

// rosterScanRow is a roster row with the raw sort key and, in an export,
// one of the student's check results.
type rosterScanRow struct {
	RosterRow
	SortText         string
	CheckID          int64
	CheckAttempts    int
	CheckBestPercent int
	CheckPassed      bool
}

// rosterScanner reads the rows of a roster statement (rosterQuery.build)
// into row, one after the other.
type rosterScanner struct {
	row  rosterScanRow
	dest []any
}

// newRosterScanner points at row's fields in the order of the statement's
// select list: rosterQuery.columns, the sort text, and in an export the
// check result.
func newRosterScanner(checks bool) *rosterScanner {
	sc := &rosterScanner{}
	r := &sc.row
	sc.dest = []any{&r.EnrollmentID, &r.UserID, &r.FullName, &r.Email, &r.RemindersOptOut, &r.EmailVerified, &r.Status,
		&r.CohortID, &r.CohortName, &r.EnrolledAt, &r.LastActivityAt, &r.CompletedAt, &r.CertificateCode,
		&r.CertificateRevokedAt, &r.Percent, &r.ReadingsDone, &r.ReadingsRequired, &r.ReadingsDue, &r.ReadingsOpened,
		&r.AtRisk, &r.SortText}
	if checks {
		sc.dest = append(sc.dest, &r.CheckID, &r.CheckAttempts, &r.CheckBestPercent, &r.CheckPassed)
	}
	return sc
}

// scan reads the current row into sc.row, cleared first.
func (sc *rosterScanner) scan(rows *sql.Rows) error {
	sc.row = rosterScanRow{}
	if err := rows.Scan(sc.dest...); err != nil {
		return fmt.Errorf("store: unable to read roster row: %w", err)
	}
	return nil
}

// queryRosterPage runs a page's statement and reads its rows, the
// look-ahead row included, and their sort texts.
func queryRosterPage(db *gorm.DB, q *rosterQuery, stmt *sqlText) ([]RosterRow, []string, error) {
	rows, err := db.Raw(stmt.String(), stmt.args...).Rows()
	if err != nil {
		return nil, nil, fmt.Errorf("store: unable to load roster: %w", err)
	}
	defer rows.Close()
	out := make([]RosterRow, 0, q.f.Limit+1)
	sortTexts := make([]string, 0, q.f.Limit+1)
	sc := newRosterScanner(false)
	for rows.Next() {
		if err := sc.scan(rows); err != nil {
			return nil, nil, err
		}
		out = append(out, sc.row.RosterRow)
		sortTexts = append(sortTexts, sc.row.SortText)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: unable to load roster: %w", err)
	}
	return out, sortTexts, nil
}

// queryRows runs a statement and reads each row into a T through the
// fields fields points at; what names the rows in an error.
func queryRows[T any](db *gorm.DB, stmt *sqlText, what string, fields func(*T) []any) ([]T, error) {
	rows, err := db.Raw(stmt.String(), stmt.args...).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: unable to load %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(fields(&v)...); err != nil {
			return nil, fmt.Errorf("store: unable to load %s: %w", what, err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: unable to load %s: %w", what, err)
	}
	return out, nil
}
