package models_test

import (
	"context"
	"errors"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// TestManagedCourseReadsTheCourseAndWhoManagesIt: administrators manage
// every course, instructors the ones they teach, nobody else any; the
// course comes back whole, as CourseBySlug reads it.
func TestManagedCourseReadsTheCourseAndWhoManagesIt(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, _ := testdb.Course(t, store, 1, models.Cohort{})
	other, _ := testdb.Course(t, store, 1, models.Cohort{})
	teacher := testdb.User(t, store, models.RoleInstructor)
	if err := store.AssignInstructor(ctx, other.ID, teacher.ID); err != nil {
		t.Fatal(err)
	}
	stranger := testdb.User(t, store, models.RoleInstructor)
	if err := store.AssignInstructor(ctx, course.ID, teacher.ID); err != nil {
		t.Fatal(err)
	}
	want, err := store.CourseBySlug(ctx, course.Slug)
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		user   *models.User
		manage bool
	}{
		"admin":      {testdb.User(t, store, models.RoleAdmin), true},
		"instructor": {teacher, true},
		"stranger":   {stranger, false},
		"student":    {testdb.User(t, store, models.RoleStudent), false},
		"nobody":     {nil, false},
	} {
		got, ok, err := store.ManagedCourse(ctx, tc.user, course.Slug)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ok != tc.manage {
			t.Errorf("%s manages the course: %v, want %v", name, ok, tc.manage)
		}
		if got.ID != want.ID || got.Title != want.Title || got.Published != want.Published ||
			!got.CreatedAt.Equal(want.CreatedAt) || !got.UpdatedAt.Equal(want.UpdatedAt) || got.Provider != want.Provider {
			t.Errorf("%s: course = %+v, want %+v", name, got, want)
		}
		if _, _, err := store.ManagedCourse(ctx, tc.user, "no-such-course"); !errors.Is(err, models.ErrNotFound) {
			t.Errorf("%s: a missing course gives %v, want ErrNotFound", name, err)
		}
	}
}
