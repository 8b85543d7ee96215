package models_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// TestManagedCourseAnswersAsCanManageCourse loads a course as each
// kind of person and wants the course CourseBySlug loads and the answer
// CanManageCourse gives.
func TestManagedCourseAnswersAsCanManageCourse(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, store, 1, models.Cohort{})
	other, _ := testdb.Course(t, store, 1, models.Cohort{})
	teacher := testdb.User(t, store, models.RoleInstructor)
	if err := store.AssignInstructor(ctx, course.ID, teacher.ID); err != nil {
		t.Fatal(err)
	}
	stranger := testdb.User(t, store, models.RoleInstructor)
	if err := store.AssignInstructor(ctx, other.ID, stranger.ID); err != nil {
		t.Fatal(err)
	}
	student := testdb.User(t, store, models.RoleStudent)
	if err := store.AssignInstructor(ctx, course.ID, student.ID); err != nil { // a row a role change left behind
		t.Fatal(err)
	}
	want, err := store.CourseBySlug(ctx, course.Slug)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		u       *models.User
		manages bool
	}{
		{"administrator", testdb.User(t, store, models.RoleAdmin), true},
		{"its instructor", teacher, true},
		{"another course's instructor", stranger, false},
		{"a student", student, false},
		{"nobody", nil, false},
	} {
		got, manages, err := store.ManagedCourse(ctx, tc.u, course.Slug)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		can, err := store.CanManageCourse(ctx, tc.u, course.ID)
		if err != nil {
			t.Fatal(err)
		}
		if manages != tc.manages || manages != can {
			t.Errorf("%s: manages = %v, CanManageCourse %v, want %v", tc.name, manages, can, tc.manages)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: course = %+v, want %+v", tc.name, got, want)
		}
	}
	if _, _, err := store.ManagedCourse(ctx, teacher, "no-such-course"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("unknown course: err = %v, want ErrNotFound", err)
	}
}
