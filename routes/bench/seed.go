package bench

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"time"

	"courseportal/migrations"
	"courseportal/models"
	"courseportal/models/certcode"
	"courseportal/routes"
)

// seeded is what the load generator needs to know about the seeded data.
type seeded struct {
	CourseSlug  string
	ReadingSlug string
	Paragraphs  int
	CohortID    int64
	// StudentTokens are the session tokens of the students, in id order.
	StudentTokens   []string
	InstructorToken string
	// CSRFKey is the server's CSRF key, from which the load generator derives
	// each browser's token as the server does.
	CSRFKey []byte
}

// seedPassword is the password of every seeded account.
const seedPassword = "bench-password-not-secret"

// Shares of the seeded students by progress through the week 1 reading.
const (
	percentNotStarted = 20 // enrolled, never opened it
	percentCompleted  = 10 // read it all: enrollment completed, certificate issued
)

// seedData fills a migrated, empty database in one transaction with
// multi-row INSERTs: one instructor teaching the seeded course, an upcoming
// second cohort, and n students in the open cohort with realistic progress,
// each signed in. Every account shares one argon2id hash, computed once.
func seedData(ctx context.Context, db *sql.DB, dialect models.Dialect, n int) (*seeded, error) {
	hash, err := models.HashPassword(ctx, seedPassword)
	if err != nil {
		return nil, err
	}
	s := &seeded{CourseSlug: migrations.SeedCourseSlug, ReadingSlug: migrations.SeedReadingSlug}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("bench: seed: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	sd := &seeder{ctx: ctx, tx: tx, dialect: dialect, now: models.SystemClock{}.Now(), hash: hash,
		rng: mrand.New(mrand.NewPCG(2021, 318))}
	if err := sd.countingTriggers("DISABLE"); err != nil {
		return nil, err
	}
	if err := sd.loadCourse(s); err != nil {
		return nil, err
	}
	if err := sd.people(s, n); err != nil {
		return nil, err
	}
	if err := sd.recount(); err != nil {
		return nil, err
	}
	if err := sd.countingTriggers("ENABLE"); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("bench: seed: %w", err)
	}
	return s, analyze(ctx, db, dialect)
}

// countingTriggers disables or enables, on PostgreSQL and within the
// seeding transaction, the triggers that keep the roster's counts and the
// checks' attempts version (attempts marks the change once): a bulk
// load would update each cohort's one row of counts once per student, and
// PostgreSQL keeps every version of a row updated in one transaction, which
// made seeding 100,000 students take minutes. recount sets the counts once
// instead. SQLite updates the row in place, so its triggers stay on.
func (sd *seeder) countingTriggers(action string) error {
	if sd.dialect != models.Postgres {
		return nil
	}
	for table, trigger := range map[string]string{"cohorts": "cohorts_count", "enrollments": "enrollments_count",
		"reading_progress": "reading_progress_count", "check_attempts": "check_attempts_version"} {
		if _, err := sd.tx.ExecContext(sd.ctx, "ALTER TABLE "+table+" "+action+" TRIGGER "+trigger); err != nil {
			return fmt.Errorf("bench: seed: %s triggers: %w", strings.ToLower(action), err)
		}
	}
	return nil
}

// recount sets the roster's counts from the seeded rows, as
// `courseportal roster repair-counts` would (the wipe of an earlier run
// truncates without triggers on PostgreSQL).
func (sd *seeder) recount() error {
	_, err := sd.tx.ExecContext(sd.ctx, `DELETE FROM cohort_counts`)
	if err == nil {
		_, err = sd.tx.ExecContext(sd.ctx, `INSERT INTO cohort_counts (cohort_id, active, waitlisted, completed, withdrawn, not_started)
SELECT co.id,
  SUM(CASE WHEN e.status = 'active' THEN 1 ELSE 0 END), SUM(CASE WHEN e.status = 'waitlisted' THEN 1 ELSE 0 END),
  SUM(CASE WHEN e.status = 'completed' THEN 1 ELSE 0 END), SUM(CASE WHEN e.status = 'withdrawn' THEN 1 ELSE 0 END),
  SUM(CASE WHEN e.status = 'active' AND NOT EXISTS (SELECT 1 FROM reading_progress p WHERE p.enrollment_id = e.id)
    THEN 1 ELSE 0 END)
FROM cohorts co LEFT JOIN enrollments e ON e.cohort_id = co.id GROUP BY co.id`)
	}
	if err != nil {
		return fmt.Errorf("bench: seed: roster counts: %w", err)
	}
	return nil
}

// seeder holds one seeding transaction.
type seeder struct {
	ctx     context.Context
	tx      *sql.Tx
	dialect models.Dialect
	now     time.Time
	hash    string
	rng     *mrand.Rand

	courseID, readingID    int64
	words                  int
	courseTitle, courseSub string
	provider, cohortName   string
}

func (sd *seeder) exec(query string, args ...any) error {
	if _, err := sd.tx.ExecContext(sd.ctx, migrations.Rebind(migrations.Dialect(sd.dialect), query), args...); err != nil {
		return fmt.Errorf("bench: seed: %w", err)
	}
	return nil
}

// loadCourse finds the migrated course, its week 1 reading and open cohort,
// and adds an upcoming cohort that nobody has joined yet.
func (sd *seeder) loadCourse(s *seeded) error {
	q := func(query string, args []any, dest ...any) error {
		if err := sd.tx.QueryRowContext(sd.ctx, migrations.Rebind(migrations.Dialect(sd.dialect), query), args...).Scan(dest...); err != nil {
			return fmt.Errorf("bench: seed: the migrated course is missing (%s): %w", query, err)
		}
		return nil
	}
	if err := q("SELECT id, title, subtitle, provider FROM courses WHERE slug = ?", []any{s.CourseSlug},
		&sd.courseID, &sd.courseTitle, &sd.courseSub, &sd.provider); err != nil {
		return err
	}
	if err := q("SELECT id, paragraph_count, word_count FROM readings WHERE course_id = ? AND slug = ?",
		[]any{sd.courseID, s.ReadingSlug}, &sd.readingID, &s.Paragraphs, &sd.words); err != nil {
		return err
	}
	if err := q("SELECT id, name FROM cohorts WHERE course_id = ? ORDER BY id LIMIT 1", []any{sd.courseID},
		&s.CohortID, &sd.cohortName); err != nil {
		return err
	}
	opens, starts := sd.now.Add(30*24*time.Hour), sd.now.Add(60*24*time.Hour)
	return sd.exec(`INSERT INTO cohorts (course_id, name, starts_at, enroll_opens_at, capacity, seats_taken, pacing, created_at)
VALUES (?, ?, ?, ?, ?, 0, ?, ?)`, sd.courseID, "Bench upcoming cohort", starts, opens, 500, models.PacingScheduled, sd.now)
}

// student is the seeded state of one student.
type student struct {
	id, enrollmentID int64
	name, email      string
	enrolled         time.Time
	lastActive       time.Time
	percent          int // -1: not started
	completed        bool
}

// people inserts the instructor and the students with their enrollments,
// progress, certificates and sessions. User 1 is the instructor; student i
// (from 0) is user i+2 and enrollment i+1.
func (sd *seeder) people(s *seeded, n int) error {
	students := make([]student, n)
	seats := 0
	for i := range students {
		st := &students[i]
		st.id, st.enrollmentID = int64(i+2), int64(i+1)
		st.name = firstNames[sd.rng.IntN(len(firstNames))] + " " + lastNames[sd.rng.IntN(len(lastNames))]
		st.email = "bench-student-" + strconv.Itoa(i+1) + "@example.org"
		st.enrolled = sd.now.Add(-time.Duration(sd.rng.Int64N(int64(42 * 24 * time.Hour))))
		st.lastActive = st.enrolled.Add(time.Duration(sd.rng.Int64N(int64(sd.now.Sub(st.enrolled)) + 1)))
		switch r := sd.rng.IntN(100); {
		case r < percentNotStarted:
			st.percent = -1
		case r < 100-percentCompleted:
			st.percent = 1 + sd.rng.IntN(99)
		default:
			st.percent, st.completed = 100, true
		}
		seats++
	}
	if err := sd.users(students); err != nil {
		return err
	}
	if err := sd.exec("INSERT INTO course_instructors (course_id, user_id) VALUES (?, ?)", sd.courseID, 1); err != nil {
		return err
	}
	if err := sd.enrollments(s, students); err != nil {
		return err
	}
	if err := sd.progress(s, students); err != nil {
		return err
	}
	if err := sd.certificates(students); err != nil {
		return err
	}
	if err := sd.attempts(students); err != nil {
		return err
	}
	if err := sd.exec("UPDATE cohorts SET seats_taken = ? WHERE id = ?", seats, s.CohortID); err != nil {
		return err
	}
	return sd.sessions(s, students)
}

func (sd *seeder) users(students []student) error {
	cols := []string{"id", "email", "full_name", "password_hash", "role", "reminders_opt_out", "created_at", "updated_at"}
	err := insertRows(sd.ctx, sd.tx, sd.dialect, "users", cols, len(students)+1, func(i int, a []any) []any {
		if i == 0 {
			return append(a, 1, "bench-instructor@example.org", "Bench Instructor", sd.hash, models.RoleInstructor,
				false, sd.now.Add(-60*24*time.Hour), sd.now)
		}
		st := &students[i-1]
		return append(a, st.id, st.email, st.name, sd.hash, models.RoleStudent, i%17 == 0, st.enrolled, st.enrolled)
	})
	if err != nil {
		return err
	}
	return sd.fixSequence("users")
}

func (sd *seeder) enrollments(s *seeded, students []student) error {
	cols := []string{"id", "user_id", "course_id", "cohort_id", "status", "created_at", "activated_at",
		"completed_at", "last_activity_at"}
	err := insertRows(sd.ctx, sd.tx, sd.dialect, "enrollments", cols, len(students), func(i int, a []any) []any {
		st := &students[i]
		status, completed, active := models.StatusActive, (*time.Time)(nil), (*time.Time)(nil)
		if st.completed {
			status, completed = models.StatusCompleted, &st.lastActive
		}
		if st.percent >= 0 {
			active = &st.lastActive
		}
		return append(a, st.enrollmentID, st.id, sd.courseID, s.CohortID, status, st.enrolled, st.enrolled, completed, active)
	})
	if err != nil {
		return err
	}
	return sd.fixSequence("enrollments")
}

func (sd *seeder) progress(s *seeded, students []student) error {
	started := make([]*student, 0, len(students))
	for i := range students {
		if students[i].percent >= 0 {
			started = append(started, &students[i])
		}
	}
	fullSeconds := max(60, sd.words*60/200)
	cols := []string{"enrollment_id", "reading_id", "percent", "furthest", "seconds_read", "first_opened_at",
		"last_activity_at", "last_beat_ms", "completed_at"}
	return insertRows(sd.ctx, sd.tx, sd.dialect, "reading_progress", cols, len(started), func(i int, a []any) []any {
		st := started[i]
		furthest := max(1, st.percent*s.Paragraphs/100)
		var completed *time.Time
		if st.completed {
			completed = &st.lastActive
		}
		return append(a, st.enrollmentID, sd.readingID, st.percent, furthest, st.percent*fullSeconds/100,
			st.enrolled, st.lastActive, st.lastActive.UnixMilli(), completed)
	})
}

func (sd *seeder) certificates(students []student) error {
	var done []*student
	for i := range students {
		if students[i].completed {
			done = append(done, &students[i])
		}
	}
	codes := make([]string, len(done))
	for i := range codes {
		code, err := certcode.New()
		if err != nil {
			return err
		}
		codes[i] = code
	}
	cols := []string{"code", "enrollment_id", "user_id", "course_id", "recipient_name", "course_title",
		"course_subtitle", "cohort_name", "issuer_name", "completed_at", "issued_at"}
	return insertRows(sd.ctx, sd.tx, sd.dialect, "certificates", cols, len(done), func(i int, a []any) []any {
		st := done[i]
		return append(a, codes[i], st.enrollmentID, st.id, sd.courseID, st.name, sd.courseTitle, sd.courseSub,
			sd.cohortName, sd.provider, st.lastActive, st.lastActive)
	})
}

// percentTookCheck is the share of the part-way students past the middle of
// the reading who took its check once; every student who completed it did.
const percentTookCheck = 50

// attempts gives the seeded reading's check (when it has one) a first
// attempt, and its result, by every student who completed the reading and by half of those
// past its middle, each question right three times in four, so that the
// reading insight's item analysis reads thousands of first attempts.
func (sd *seeder) attempts(students []student) error {
	rows, err := sd.tx.QueryContext(sd.ctx, migrations.Rebind(migrations.Dialect(sd.dialect),
		`SELECT k.id, k.pass_percent, q.id, o.id, o.correct FROM checks k JOIN check_questions q ON q.check_id = k.id
JOIN check_options o ON o.question_id = q.id WHERE k.reading_id = ? ORDER BY q.position, q.id, o.position, o.id`), sd.readingID)
	if err != nil {
		return fmt.Errorf("bench: seed: the reading's check: %w", err)
	}
	defer func() { _ = rows.Close() }()
	type question struct {
		id           int64
		right, wrong int64
	}
	var checkID int64
	var pass int
	var questions []question
	for rows.Next() {
		var qID, oID int64
		var correct bool
		if err := rows.Scan(&checkID, &pass, &qID, &oID, &correct); err != nil {
			return fmt.Errorf("bench: seed: the reading's check: %w", err)
		}
		if len(questions) == 0 || questions[len(questions)-1].id != qID {
			questions = append(questions, question{id: qID})
		}
		q := &questions[len(questions)-1]
		if correct && q.right == 0 {
			q.right = oID
		} else if !correct && q.wrong == 0 {
			q.wrong = oID
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("bench: seed: the reading's check: %w", err)
	}
	if len(questions) == 0 {
		return nil
	}
	var takers []*student
	for i := range students {
		st := &students[i]
		if st.completed || (st.percent >= 50 && sd.rng.IntN(100) < percentTookCheck) {
			takers = append(takers, st)
		}
	}
	type attempt struct {
		score          int
		answers, right string
	}
	made := make([]attempt, len(takers))
	for i := range made {
		var answers, right []string
		n := 0
		for _, q := range questions {
			chosen := q.wrong
			if sd.rng.IntN(4) > 0 {
				chosen = q.right
				right = append(right, strconv.FormatInt(q.id, 10))
				n++
			}
			answers = append(answers, fmt.Sprintf("%q:[%d]", strconv.FormatInt(q.id, 10), chosen))
		}
		made[i] = attempt{score: n * 100 / len(questions), answers: "{" + strings.Join(answers, ",") + "}",
			right: "[" + strings.Join(right, ",") + "]"}
	}
	cols := []string{"enrollment_id", "check_id", "number", "score_percent", "passed", "answers", "right_answers", "created_at"}
	err = insertRows(sd.ctx, sd.tx, sd.dialect, "check_attempts", cols, len(takers), func(i int, a []any) []any {
		return append(a, takers[i].enrollmentID, checkID, 1, made[i].score, made[i].score >= pass, made[i].answers,
			made[i].right, takers[i].lastActive)
	})
	if err != nil {
		return err
	}
	cols = []string{"enrollment_id", "check_id", "attempts", "best_percent", "passed_at", "last_attempt_at"}
	err = insertRows(sd.ctx, sd.tx, sd.dialect, "check_results", cols, len(takers), func(i int, a []any) []any {
		var passed *time.Time
		if made[i].score >= pass {
			passed = &takers[i].lastActive
		}
		return append(a, takers[i].enrollmentID, checkID, 1, made[i].score, passed, takers[i].lastActive)
	})
	if err != nil {
		return err
	}
	return sd.exec("UPDATE checks SET attempts_version = attempts_version + 1 WHERE id = ?", checkID)
}

// sessions signs every student and the instructor in. As in
// models/session.go, the stored id is hex(sha256(token)); last_seen_at is
// now, so serving them writes nothing.
func (sd *seeder) sessions(s *seeded, students []student) error {
	tokens := make([]string, len(students)+1)
	for i := range tokens {
		t, err := newToken()
		if err != nil {
			return err
		}
		tokens[i] = t
	}
	s.InstructorToken, s.StudentTokens = tokens[0], tokens[1:]
	if err := sd.csrfKey(s); err != nil {
		return err
	}
	cols := []string{"id", "user_id", "created_at", "last_seen_at", "expires_at", "user_agent"}
	return insertRows(sd.ctx, sd.tx, sd.dialect, "sessions", cols, len(tokens), func(i int, a []any) []any {
		sum := sha256.Sum256([]byte(tokens[i]))
		return append(a, hex.EncodeToString(sum[:]), int64(i+1), sd.now, sd.now, sd.now.Add(models.SessionMaxAge),
			"courseportal-bench")
	})
}

// csrfKey reads the server's CSRF key, creating it as the server would
// (models.Store.ServerSecret) when the database has none yet.
func (sd *seeder) csrfKey(s *seeded) error {
	fresh := make([]byte, 32)
	if _, err := rand.Read(fresh); err != nil {
		return fmt.Errorf("bench: %w", err)
	}
	if err := sd.exec("INSERT INTO server_secrets (name, secret, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
		routes.CSRFSecretName, hex.EncodeToString(fresh), sd.now); err != nil {
		return err
	}
	var stored string
	err := sd.tx.QueryRowContext(sd.ctx, migrations.Rebind(migrations.Dialect(sd.dialect), "SELECT secret FROM server_secrets WHERE name = ?"),
		routes.CSRFSecretName).Scan(&stored)
	if err != nil {
		return fmt.Errorf("bench: seed: %w", err)
	}
	if s.CSRFKey, err = hex.DecodeString(stored); err != nil {
		return fmt.Errorf("bench: seed: unreadable CSRF key: %w", err)
	}
	return nil
}

// fixSequence moves PostgreSQL's id sequence past the explicit ids; SQLite
// does that by itself.
func (sd *seeder) fixSequence(table string) error {
	if sd.dialect != models.Postgres {
		return nil
	}
	return sd.exec("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT MAX(id) FROM " + table + "))")
}

// analyze refreshes the planner statistics, as autovacuum would soon after
// a real bulk load on PostgreSQL, and empties SQLite's write-ahead log.
func analyze(ctx context.Context, db *sql.DB, dialect models.Dialect) error {
	// SQLite's planner walks the roster's name index only with statistics
	// that tell it the class is large.
	stmts := []string{"ANALYZE", "PRAGMA wal_checkpoint(TRUNCATE)"}
	if dialect == models.Postgres {
		stmts = stmts[:1]
	}
	for _, stmt := range stmts {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("bench: %s: %w", stmt, err)
		}
	}
	return nil
}

// insertRows inserts n rows with multi-row INSERTs of at most 1000 rows (and
// 30000 parameters, below both databases' limits). row appends row i's
// values to a.
func insertRows(ctx context.Context, tx *sql.Tx, dialect models.Dialect, table string, cols []string, n int,
	row func(i int, a []any) []any) error {
	per := min(1000, 30000/len(cols))
	head := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES "
	var b strings.Builder
	args := make([]any, 0, per*len(cols))
	for start := 0; start < n; start += per {
		end := min(n, start+per)
		b.Reset()
		b.WriteString(head)
		args = args[:0]
		p := 0
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range cols {
				if j > 0 {
					b.WriteString(", ")
				}
				p++
				if dialect == models.Postgres {
					b.WriteString("$" + strconv.Itoa(p))
				} else {
					b.WriteByte('?')
				}
			}
			b.WriteByte(')')
			args = row(i, args)
		}
		if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("bench: seed %s: %w", table, err)
		}
	}
	return nil
}

// newToken is a session token or visitor id: 256 random bits, URL-safe, 43
// characters, like models.NewToken.
func newToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("bench: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// Names of the synthetic students: varied lengths and scripts, so sorting
// and escaping on the roster do real work.
var firstNames = []string{"Aarav", "Fatima", "Chen", "Olga", "Kwame", "María", "Yuki", "Omar", "Priya", "Lukas",
	"Amina", "Diego", "Zainab", "Ivan", "Mei", "Tariq", "Sofia", "Kofi", "Ananya", "Jonas", "Leila", "Mateo",
	"Nadia", "Hiroshi", "Farhan", "Élodie", "Seo-yeon", "Rahul", "Ayesha", "Pablo", "Noor", "Andrei"}

var lastNames = []string{"Sharma", "Haidari", "Wang", "Petrova", "Mensah", "García", "Tanaka", "Rahimi", "Nair",
	"Müller", "Yusuf", "Fernández", "Karimi", "Kuznetsov", "Li", "Ahmadzai", "Rossi", "Owusu", "Iyer", "Schmidt",
	"Hosseini", "López", "Qureshi", "Sato", "Chowdhury", "Dubois", "Kim", "Gupta", "Siddiqui", "Moreno",
	"Stanekzai", "Popescu", "O’Brien", "Van der Berg"}
