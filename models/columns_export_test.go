package models

// The column lists scanned by hand, for TestHandScannedRowsReadEveryColumn.
var HandScannedColumns = map[string]string{
	"readings": readingColumns,
	"cohorts":  cohortColumns,
	"checks":   checkColumns,
}
