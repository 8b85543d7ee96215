package models_test

import (
	"slices"
	"strings"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// TestHandScannedRowsReadEveryColumn: the readings, cohorts and checks (with
// their questions and options) read on the console's hot paths are scanned
// by hand from lists of columns, which must name every column of their
// tables.
func TestHandScannedRowsReadEveryColumn(t *testing.T) {
	store, _ := testdb.Open(t)
	for table, list := range models.HandScannedColumns {
		types, err := store.DB().Migrator().ColumnTypes(table)
		if err != nil {
			t.Fatal(err)
		}
		var columns []string
		for _, c := range types {
			columns = append(columns, c.Name())
		}
		slices.Sort(columns)
		listed := strings.Fields(strings.ReplaceAll(list, ",", " "))
		slices.Sort(listed)
		if !slices.Equal(columns, listed) {
			t.Errorf("the %s table has %v, its row reads %v", table, columns, listed)
		}
	}
}
