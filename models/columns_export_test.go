package models

// The column lists scanned by hand, for TestHandScannedRowsReadEveryColumn.
var HandScannedColumns = map[string]string{
	"readings": readingColumns,
	"cohorts":  cohortColumns,
	"checks":   checkColumns,
	// A check's questions and options are read with the check, which
	// gives the keys they belong by.
	"check_questions": questionOwnColumns + ", check_id",
	"check_options":   optionOwnColumns + ", question_id",
}
