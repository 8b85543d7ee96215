package migrations

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pressly/goose/v3"
)

// Seeded identifiers that outside tests rely on.
const (
	SeedCourseSlug  = "international-relations"
	SeedReadingSlug = "afghanistan-peace-summits"
)

// goMigrations are the data migrations written in Go, shared by both dialects.
func goMigrations(dialect Dialect) []*goose.Migration {
	return []*goose.Migration{
		goose.NewGoMigration(2,
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error { return seedCourse(ctx, execer{tx, dialect}) }},
			&goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
				_, err := tx.ExecContext(ctx, Rebind(dialect, "DELETE FROM courses WHERE slug = ?"), SeedCourseSlug)
				return err
			}}),
	}
}

type week struct{ title, summary string }

// The syllabus of the six-week introductory course. Only week 1 has a reading
// so far; instructors add the others through the console.
var syllabus = []week{
	{"Foundations: states, power and the international system",
		"What international relations studies, who its actors are, and how power and interest shape a crisis — read through the Afghan peace process."},
	{"Theories of international relations",
		"Realism, liberalism and constructivism as lenses for explaining why states cooperate or compete."},
	{"Diplomacy, negotiation and mediation",
		"How talks are convened, who mediates and why, and what makes a negotiated settlement hold."},
	{"Security, conflict and peacebuilding",
		"War, insurgency and terrorism; ceasefires, peace agreements and the hard road from conflict to stable government."},
	{"International organisations and law",
		"The United Nations, regional bodies and international law: what they can and cannot do for peace and order."},
	{"Foreign policy and the global order",
		"How foreign policy is made, great-power rivalry, and regional orders in South and Central Asia."},
}

// The seeded reading's word and paragraph counts, as the reading renderer
// counted them when this migration was written. They are data of the
// migration, not computed at run time, so a later change to the renderer
// cannot change what a fresh install stores; a test compares them with the
// renderer so that drift is seen rather than applied.
const (
	seedReadingWords      = 968
	seedReadingParagraphs = 8
)

const articleDisclaimer = "The views and opinions expressed in this article are those of the author and do not necessarily reflect the views of The Kootneeti Team."

const articleCredits = "The original article was illustrated with photographs that are not reproduced here. Image sources: The New York Times; The Japan Times; The Indian Express."

func seedCourse(ctx context.Context, x execer) error {
	now := time.Now().UTC().Truncate(time.Microsecond)
	courseID, err := x.insert(ctx, `INSERT INTO courses
 (slug, title, subtitle, description, provider, contact_email, contact_url, contact_phone, published, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		SeedCourseSlug, "Certificate Course in International Relations",
		"Six-week online course in International Relations by The Kootneeti",
		"A six-week online certificate course that introduces the study of international relations through "+
			"current events. Each week pairs a theme with assigned readings; read at your own pace, track your "+
			"progress, and earn a certificate anyone can verify.",
		"The Kootneeti", "team@thekootneeti.com", "https://courses.thekootneeti.in", "(+91) 120 4565994", true, now, now)
	if err != nil {
		return fmt.Errorf("seed course: %w", err)
	}
	weekIDs := make([]int64, len(syllabus))
	for i, w := range syllabus {
		weekIDs[i], err = x.insert(ctx, "INSERT INTO weeks (course_id, number, title, summary) VALUES (?, ?, ?, ?)",
			courseID, i+1, w.title, w.summary)
		if err != nil {
			return fmt.Errorf("seed week %d: %w", i+1, err)
		}
	}
	body, err := files.ReadFile("content/" + SeedReadingSlug + ".md")
	if err != nil {
		return fmt.Errorf("seed reading: %w", err)
	}
	_, err = x.insert(ctx, `INSERT INTO readings
 (course_id, week_id, slug, title, author, source_name, source_url, body_markdown, disclaimer, credits,
  position, required, published, version, word_count, paragraph_count, created_at, updated_at)
 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		courseID, weekIDs[0], SeedReadingSlug,
		"Afghanistan’s Peace Summits: Moscow, Istanbul and the Power-Sharing Proposal",
		"", "The Kootneeti", "", string(body), articleDisclaimer, articleCredits,
		1, true, true, 1, seedReadingWords, seedReadingParagraphs, now, now)
	if err != nil {
		return fmt.Errorf("seed reading: %w", err)
	}
	_, err = x.insert(ctx, `INSERT INTO cohorts (course_id, name, starts_at, capacity, seats_taken, pacing, created_at)
 VALUES (?, ?, ?, NULL, 0, ?, ?)`, courseID, "Open cohort (self-paced)", now, "self-paced", now)
	if err != nil {
		return fmt.Errorf("seed cohort: %w", err)
	}
	return nil
}

// execer runs dialect-neutral SQL written with ? placeholders.
type execer struct {
	tx      *sql.Tx
	dialect Dialect
}

// insert runs an INSERT and returns the new row's id.
func (x execer) insert(ctx context.Context, query string, args ...any) (int64, error) {
	var id int64
	err := x.tx.QueryRowContext(ctx, Rebind(x.dialect, query+" RETURNING id"), args...).Scan(&id)
	return id, err
}

// Rebind turns ? placeholders into PostgreSQL's $1, $2 … for SQL run on
// database/sql directly; GORM does this by itself.
func Rebind(dialect Dialect, query string) string {
	if dialect != "postgres" {
		return query
	}
	var b strings.Builder
	n := 0
	for _, r := range query {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
