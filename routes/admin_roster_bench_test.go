package routes_test

import (
	"context"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// BenchmarkRosterPage serves the roster's first page of a 5,000-student
// class through the application, as its instructor: the statements, the
// view and the template.
func BenchmarkRosterPage(b *testing.B) {
	store, _ := testdb.Open(b)
	course, cohort := testdb.Course(b, store, 3, models.Cohort{})
	bigClass(b, store, course, cohort, 5000)
	instructor := testdb.User(b, store, models.RoleInstructor)
	if err := store.DB().Exec("INSERT INTO course_instructors (course_id, user_id) VALUES (?, ?)", course.ID, instructor.ID).Error; err != nil {
		b.Fatal(err)
	}
	// As autovacuum would soon after a bulk load on PostgreSQL.
	if err := store.DB().Exec("ANALYZE").Error; err != nil {
		b.Fatal(err)
	}
	token, err := store.CreateSession(context.Background(), instructor.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	serveEach(b, benchApp(b, store), "/admin/courses/"+course.Slug+"/roster", token)
}
