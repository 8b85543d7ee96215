package routes_test

import (
	"context"
	"net/http"
	"testing"

	"courseportal/models"
	"courseportal/models/testdb"
)

// TestProgressAgreesAfterAReadingIsAdded completes a course, then has staff
// add a required reading: the completion and certificate stand, and the
// course home, dashboard, roster, its CSV and the API all show the same
// percent and counts over the readings as they are now.
func TestProgressAgreesAfterAReadingIsAdded(t *testing.T) {
	e := newEnv(t)
	class := testdb.NewClass(t, e.store, e.clock, models.PacingSelfPaced)
	instructor := testdb.User(t, e.store, models.RoleInstructor)
	if err := e.store.AssignInstructor(context.Background(), class.Course.ID, instructor.ID); err != nil {
		t.Fatal(err)
	}
	early := class.Enroll(t, "Early Finisher")
	class.Complete(t, "Early Finisher", 1, 2, 3)
	student := e.login(early)
	progress := student.get("/api/v1/me/courses/" + class.Course.Slug + "/progress").json(t)
	if progress["status"] != models.StatusCompleted || progress["percent"] != float64(100) {
		t.Fatalf("before the new reading: status %v, percent %v", progress["status"], progress["percent"])
	}

	_, err := e.store.CreateReading(context.Background(), instructor.ID, class.Course, models.ReadingInput{
		WeekNumber: 3, Slug: "added-later", Title: "Added later", SourceName: "Course team",
		BodyMarkdown: testdb.Paragraphs(4), Required: true, Published: true})
	if err != nil {
		t.Fatal(err)
	}

	// (100 + 100 + 100 + 0) / 4 readings.
	const label = "75 % complete · 3 of 4 required readings"
	for _, path := range []string{"/learn/" + class.Course.Slug, "/dashboard"} {
		res := student.get(path)
		if res.Status != http.StatusOK {
			t.Fatalf("GET %s = %d", path, res.Status)
		}
		mustContain(t, res.Body, label, "Completed", "A required reading was added after you completed the course.",
			"Your completion and your certificate stand.", "Download certificate")
	}

	progress = student.get("/api/v1/me/courses/" + class.Course.Slug + "/progress").json(t)
	if progress["status"] != models.StatusCompleted || progress["percent"] != float64(75) ||
		progress["required_readings"] != float64(4) || progress["completed_readings"] != float64(3) {
		t.Errorf("progress API: status %v, percent %v, %v of %v", progress["status"], progress["percent"],
			progress["completed_readings"], progress["required_readings"])
	}
	list, _ := student.get("/api/v1/me/enrollments").json(t)["enrollments"].([]any)
	if len(list) != 1 {
		t.Fatalf("enrollments API lists %d", len(list))
	}
	enrollment, _ := list[0].(map[string]any)
	if enrollment["status"] != models.StatusCompleted || enrollment["percent_complete"] != float64(75) ||
		enrollment["certificate_code"] == "" || enrollment["certificate_code"] == nil {
		t.Errorf("enrollments API: %v", enrollment)
	}

	staff := e.login(instructor)
	roster := staff.get("/admin/courses/" + class.Course.Slug + "/roster")
	if roster.Status != http.StatusOK {
		t.Fatalf("roster = %d", roster.Status)
	}
	mustContain(t, roster.Body, "<strong>75&nbsp;%</strong>", "3&nbsp;of&nbsp;4&nbsp;readings",
		"Completed before this reading was added", `badge-completed">Completed`)
	records := readCSV(t, staff.get("/admin/courses/"+class.Course.Slug+"/roster.csv").Body)
	if len(records) != 2 {
		t.Fatalf("roster CSV has %d records", len(records))
	}
	// Status, percent, completed, required.
	if got := records[1][3:7]; got[0] != models.StatusCompleted || got[1] != "75" || got[2] != "3" || got[3] != "4" {
		t.Errorf("roster CSV row = %v", records[1])
	}
	sorted := staff.get("/admin/courses/" + class.Course.Slug + "/roster?sort=percent")
	mustContain(t, sorted.Body, "<strong>75&nbsp;%</strong>")
}
