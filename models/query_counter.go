package models

import (
	"sync/atomic"

	"gorm.io/gorm"
)

// QueryCounter is a GORM plugin that counts the statements sent to the
// database, for benchmarks that report queries per request.
type QueryCounter struct{ n atomic.Int64 }

// queryCounterName is the plugin's name, by which the store finds it to
// count the statements it sends outside GORM (queryPrepared).
const queryCounterName = "courseportal:query_counter"

// Name identifies the plugin to GORM.
func (*QueryCounter) Name() string { return queryCounterName }

// Initialize hooks the counter after every kind of statement.
func (q *QueryCounter) Initialize(db *gorm.DB) error {
	count := func(tx *gorm.DB) {
		if tx.Statement != nil && tx.Statement.SQL.Len() > 0 {
			q.n.Add(1)
		}
	}
	cb := db.Callback()
	hooks := []error{
		cb.Create().After("gorm:create").Register("courseportal:count_create", count),
		cb.Query().After("gorm:query").Register("courseportal:count_query", count),
		cb.Update().After("gorm:update").Register("courseportal:count_update", count),
		cb.Delete().After("gorm:delete").Register("courseportal:count_delete", count),
		cb.Row().After("gorm:row").Register("courseportal:count_row", count),
		cb.Raw().After("gorm:raw").Register("courseportal:count_raw", count),
	}
	for _, err := range hooks {
		if err != nil {
			return err
		}
	}
	return nil
}

// Count returns the number of statements so far.
func (q *QueryCounter) Count() int64 { return q.n.Load() }
