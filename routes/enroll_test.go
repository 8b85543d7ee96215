package routes_test

import (
	"net/http"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

func TestDraftCoursesTakeNoEnrollments(t *testing.T) {
	e := newEnv(t)
	course, _ := testdb.Course(t, e.store, 1, models.Cohort{})
	if err := e.store.DB().Model(&models.Course{}).Where("id = ?", course.ID).Update("published", false).Error; err != nil {
		t.Fatal(err)
	}
	c := e.client()
	c.signup("Early Bird", "early@example.org", "s3cret-passphrase")
	if res := c.postForm("/courses/"+course.Slug+"/enroll", nil); res.Status != http.StatusNotFound {
		t.Errorf("enrolling in a draft course = %d, want 404", res.Status)
	}
	if res := c.sendJSON(http.MethodPost, "/api/v1/courses/"+course.Slug+"/enrollments", ""); res.Status != http.StatusNotFound {
		t.Errorf("API enrolling in a draft course = %d, want 404", res.Status)
	}
	var n int64
	if err := e.store.DB().Model(&models.Enrollment{}).Where("course_id = ?", course.ID).Count(&n).Error; err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("%d enrollments in a draft course", n)
	}
}
