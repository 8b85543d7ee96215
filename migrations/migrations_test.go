package migrations_test

import (
	"context"
	"strings"
	"testing"

	"courseportal/migrations"
	"courseportal/models"
	"courseportal/models/markdown"
	"courseportal/models/testdb"
)

func TestMigrationsApplyToAnEmptyDatabaseAndSeedTheCourse(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, err := store.CourseOutline(ctx, migrations.SeedCourseSlug, false)
	if err != nil {
		t.Fatalf("seeded course: %v", err)
	}
	if course.Title != "Certificate Course in International Relations" || course.ContactEmail != "team@thekootneeti.com" ||
		course.ContactURL != "https://courses.thekootneeti.in" || course.ContactPhone != "(+91) 120 4565994" {
		t.Fatalf("course = %+v", course)
	}
	if len(course.Weeks) != 6 {
		t.Fatalf("%d weeks, want 6", len(course.Weeks))
	}
	if len(course.Weeks[0].Readings) != 1 || course.Weeks[0].Readings[0].Slug != migrations.SeedReadingSlug {
		t.Fatalf("week 1 readings = %+v", course.Weeks[0].Readings)
	}
	for _, w := range course.Weeks[1:] {
		if len(w.Readings) != 0 {
			t.Fatalf("week %d has invented readings", w.Number)
		}
	}
	r, err := store.ReadingBySlug(ctx, course.ID, migrations.SeedReadingSlug)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## The predictable risk", "## The step to advance the inter-Afghan peace process",
		"## The power-sharing proposal", "attend the peace dialogues in Istanbul", "1st May 2021"} {
		if !strings.Contains(r.BodyMarkdown, want) {
			t.Errorf("reading lacks %q", want)
		}
	}
	for _, chrome := range []string{"Facebook Comments", "mailchimp", "JOIN TODAY", "Subscribe"} {
		if strings.Contains(r.BodyMarkdown, chrome) {
			t.Errorf("reading contains site chrome %q", chrome)
		}
	}
	if r.SourceName != "The Kootneeti" || !strings.Contains(r.Disclaimer, "views and opinions") || !strings.Contains(r.Credits, "The Japan Times") {
		t.Fatalf("reading metadata = %q / %q / %q", r.SourceName, r.Disclaimer, r.Credits)
	}
	if r.ParagraphCount != 8 || r.WordCount < 900 || !r.Required {
		t.Fatalf("paragraphs=%d words=%d required=%v", r.ParagraphCount, r.WordCount, r.Required)
	}
	cohort, err := store.OpenCohort(ctx, course.ID)
	if err != nil || cohort.Pacing != models.PacingSelfPaced || cohort.Capacity != nil {
		t.Fatalf("open cohort = %+v, %v", cohort, err)
	}
}

// Migration 2 stores the seeded reading's word and paragraph counts as
// literals, so that it writes the same rows whatever the renderer becomes.
// This test is where a renderer change that counts differently shows up: the
// migration stays as it is, and the change decides whether stored readings
// need a new migration to recount them.
func TestSeededReadingCountsMatchTheRenderer(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	course, err := store.CourseOutline(ctx, migrations.SeedCourseSlug, false)
	if err != nil {
		t.Fatalf("seeded course: %v", err)
	}
	r, err := store.ReadingBySlug(ctx, course.ID, migrations.SeedReadingSlug)
	if err != nil {
		t.Fatalf("seeded reading: %v", err)
	}
	doc, err := markdown.Render(r.BodyMarkdown)
	if err != nil {
		t.Fatalf("render the seeded reading: %v", err)
	}
	if r.WordCount != doc.Words || r.ParagraphCount != doc.Paragraphs {
		t.Fatalf("migration 2 stores %d words and %d paragraphs, the renderer now counts %d and %d",
			r.WordCount, r.ParagraphCount, doc.Words, doc.Paragraphs)
	}
}

func TestMigrationsAreIdempotentAndRefuseANewerSchema(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	sqlDB, err := store.DB().DB()
	if err != nil {
		t.Fatal(err)
	}
	dialect := migrations.Dialect(store.Dialect())
	if err := migrations.Up(ctx, sqlDB, dialect, testdb.Quiet); err != nil {
		t.Fatalf("second run: %v", err)
	}
	var courses int64
	store.DB().Model(&models.Course{}).Count(&courses)
	if courses != 1 {
		t.Fatalf("%d courses after migrating twice, want 1", courses)
	}
	latest, err := migrations.Latest(sqlDB, dialect)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.DB().Exec("INSERT INTO goose_db_version (version_id, is_applied) VALUES (?, ?)", latest+1, true).Error; err != nil {
		t.Fatal(err)
	}
	err = migrations.Up(ctx, sqlDB, dialect, testdb.Quiet)
	if err == nil || !strings.Contains(err.Error(), "newer") {
		t.Fatalf("migrating a newer schema = %v, want a refusal", err)
	}
}

func TestDatabaseConstraints(t *testing.T) {
	store, _ := testdb.Open(t)
	db := store.DB()
	now := store.Now()
	exec := func(sql string, args ...any) error { return db.Exec(sql, args...).Error }
	if err := exec("INSERT INTO users (email, full_name, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
		"case@example.org", "A", "x", "student", now, now); err != nil {
		t.Fatal(err)
	}
	cases := map[string]error{
		"email unique ignoring case": exec("INSERT INTO users (email, full_name, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			"CASE@example.org", "B", "x", "student", now, now),
		"role check": exec("INSERT INTO users (email, full_name, password_hash, role, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
			"role@example.org", "B", "x", "superuser", now, now),
		"capacity check": exec("UPDATE cohorts SET capacity = 1, seats_taken = 2"),
		"foreign key":    exec("INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at) VALUES ('s', 999999, ?, ?, ?)", now, now, now),
	}
	for name, err := range cases {
		if err == nil {
			t.Errorf("%s: the database accepted invalid data", name)
		}
	}
}
