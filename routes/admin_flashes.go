package routes

// The console's one-time messages, added to the shared flash table (which
// only ever shows messages from this list).
func init() {
	for key, f := range map[string]flash{
		"course-saved":          {"success", "Course saved."},
		"week-saved":            {"success", "Week saved."},
		"reading-created":       {"success", "Reading added at the end of its week."},
		"reading-saved":         {"success", "Reading saved. Students keep their progress."},
		"reading-moved":         {"success", "Reading moved."},
		"reading-not-moved":     {"info", "The reading is already at that end of its week."},
		"reading-published":     {"success", "Reading published: enrolled students can open it."},
		"reading-unpublished":   {"success", "Reading unpublished: students no longer see it. Their progress is kept."},
		"reading-required":      {"success", "Reading marked as required."},
		"reading-optional":      {"success", "Reading marked as optional."},
		"reading-deleted":       {"success", "Reading deleted."},
		"cohort-created":        {"success", "Cohort created."},
		"cohort-saved":          {"success", "Cohort saved."},
		"cohort-promoted":       {"success", "Cohort saved. The new seats went to the waitlist, longest-waiting first."},
		"enrollment-moved":      {"success", "Student moved to the other cohort."},
		"enrollment-removed":    {"success", "Student removed from the course. A freed seat went to the next person on the waitlist."},
		"role-changed":          {"success", "Role changed."},
		"user-disabled":         {"success", "Account disabled and signed out everywhere."},
		"user-enabled":          {"success", "Account enabled. The person can sign in again."},
		"instructor-assigned":   {"success", "Instructor assigned to the course."},
		"instructor-unassigned": {"success", "Instructor no longer teaches the course."},
	} {
		flashes[key] = f
	}
}
