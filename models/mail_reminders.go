package models

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"courseportal/views/i18n"

	"gorm.io/gorm"
)

// MailWeeklyReminder is the kind of the weekly reminder; reminders an
// instructor sends are MailReminder.
const MailWeeklyReminder = "reminder-weekly"

// weeklyBatch is how many candidate rows the weekly run reads at a time.
const weeklyBatch = 500

// reminderCandidate is an active student who is behind in one course.
type reminderCandidate struct {
	EnrollmentID    int64
	UserID          int64
	FullName        string
	Email           string
	Language        string
	RemindersOptOut bool
	Verified        bool
	CourseID        int64
	CourseSlug      string
	CourseTitle     string
	CohortName      string
	Pacing          string
	ReadingsDone    int
	ReadingsDue     int
	LastActivityAt  *time.Time
}

// reminderCandidates selects at-risk students (the roster's definition) who
// can receive mail, ordered by person; extra narrows the selection.
func (s *Store) reminderCandidates(db *gorm.DB, sc *rosterSchedule, courseID int64, cutoff time.Time, extra func(*sqlText)) ([]reminderCandidate, error) {
	sql := &sqlText{}
	sql.add(`SELECT e.id AS enrollment_id, e.user_id, u.full_name, u.email, u.language, u.reminders_opt_out,
  u.email_verified_at IS NOT NULL AS verified, e.course_id,
  c.slug AS course_slug, c.title AS course_title, co.name AS cohort_name, co.pacing, `).
		expr(doneExpr).add(" AS readings_done, ").expr(sc.dueExpr()).add(` AS readings_due, e.last_activity_at
FROM enrollments e
JOIN users u ON u.id = e.user_id
JOIN courses c ON c.id = e.course_id
JOIN cohorts co ON co.id = e.cohort_id
`).expr(s.progressJoin(courseID)).add("\nWHERE u.disabled_at IS NULL AND ").expr(sc.atRiskExpr(cutoff))
	extra(sql)
	var rows []reminderCandidate
	if err := db.Raw(sql.String(), sql.args...).Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to select students to remind: %w", err)
	}
	return rows, nil
}

// ReminderResult tells what a reminder request did.
type ReminderResult struct {
	AtRisk       int // at-risk students in the cohort
	Queued       int // messages added to the outbox
	OptedOut     int // skipped: they turned reminders off
	Unverified   int // skipped: their address is not confirmed yet
	AlreadyToday int // skipped: already reminded today
}

// RemindCohort queues a reminder to each at-risk student of a cohort (no
// activity for inactiveDays while behind the schedule), at most one per
// student and day, skipping those who opted out, and records it in the audit
// log. Completed students are never at risk, so never reminded.
func (s *Store) RemindCohort(ctx context.Context, actor *User, course *Course, cohortID int64, inactiveDays int, baseURL string) (*ReminderResult, error) {
	if inactiveDays < 1 || inactiveDays > MaxInactiveDays {
		return nil, Invalid("days", fmt.Sprintf("Days without activity must be between 1 and %d.", MaxInactiveDays))
	}
	now := s.clock.Now()
	res := &ReminderResult{}
	err := s.tx(ctx, func(tx *gorm.DB) error {
		sc, err := s.loadSchedule(tx, course.ID, now)
		if err != nil {
			return err
		}
		cohort := sc.cohort(cohortID)
		if cohort == nil {
			return ErrNotFound
		}
		cutoff := now.Add(-time.Duration(inactiveDays) * 24 * time.Hour)
		rows, err := s.reminderCandidates(tx, sc, course.ID, cutoff, func(q *sqlText) {
			q.add(" AND e.course_id = ? AND e.cohort_id = ? ORDER BY u.id, e.id", course.ID, cohortID)
		})
		if err != nil {
			return err
		}
		secret, err := s.unsubscribeSecret(tx)
		if err != nil {
			return err
		}
		day := now.Format(time.DateOnly)
		var mails []queuedMail
		for i := range rows {
			r := &rows[i]
			if r.RemindersOptOut {
				res.OptedOut++
				continue
			}
			if !r.Verified {
				// Bulk mail only to confirmed addresses: unconfirmed
				// ones bounce or land with strangers.
				res.Unverified++
				continue
			}
			mails = append(mails, s.cohortReminder(r, day, baseURL, unsubscribeLink(baseURL, secret, r.UserID)))
		}
		res.AtRisk = len(rows)
		if res.Queued, err = queueMail(tx, mails); err != nil {
			return err
		}
		res.AlreadyToday = len(mails) - res.Queued
		return s.audit(tx, actor.ID, "reminders.queue", "cohort:"+course.Slug+"/"+strconv.FormatInt(cohortID, 10),
			fmt.Sprintf("%s: queued %d of %d at-risk students (inactive %d+ days); %d opted out, %d unconfirmed, %d already reminded today",
				cohort.Name, res.Queued, res.AtRisk, inactiveDays, res.OptedOut, res.Unverified, res.AlreadyToday))
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// cohortReminder is the message an instructor's reminder sends, in the
// student's language.
func (s *Store) cohortReminder(r *reminderCandidate, day, baseURL, unsubscribe string) queuedMail {
	loc := s.langs.For(r.Language)
	var b strings.Builder
	b.WriteString(loc.T("mail.reminder.from", "Course", r.CourseTitle, "Cohort", r.CohortName) + "\n\n")
	b.WriteString(behindLine(loc, r))
	fmt.Fprintf(&b, "\n%s\n%s/learn/%s\n", loc.T("mail.reminder.resume"), baseURL, r.CourseSlug)
	b.WriteString(reminderFooter(loc, unsubscribe))
	key := "reminder:cohort:" + strconv.FormatInt(r.EnrollmentID, 10) + ":" + day
	m := s.newQueuedMail(loc, MailReminder, key, r.Email, r.FullName, loc.T("mail.reminder.subject", "Course", r.CourseTitle), b.String())
	m.CourseID, m.ListUnsubscribe, m.UserID = &r.CourseID, unsubscribe, &r.UserID
	return m
}

// behindLine says where the student stands against the schedule.
func behindLine(loc *i18n.Localizer, r *reminderCandidate) string {
	due := "mail.reminder.done_scheduled"
	if r.Pacing == PacingSelfPaced {
		due = "mail.reminder.done_self_paced"
	}
	line := loc.N(due, r.ReadingsDue, "Done", r.ReadingsDone)
	if r.LastActivityAt == nil {
		return line + " " + loc.T("mail.reminder.never_opened") + "\n"
	}
	return line + " " + loc.T("mail.reminder.last_reading", "Date", loc.Date(*r.LastActivityAt)) + "\n"
}

func reminderFooter(loc *i18n.Localizer, unsubscribe string) string {
	return "\n-- \n" + loc.T("mail.reminder.why") + "\n" + loc.T("mail.reminder.stop") + "\n" + unsubscribe + "\n"
}

// ISOWeek names the ISO week of t, like "2026-W10".
func ISOWeek(t time.Time) string {
	year, week := t.UTC().ISOWeek()
	return fmt.Sprintf("%d-W%02d", year, week)
}

// QueueWeeklyReminders writes this ISO week's reminder to every student who
// is behind in a course (the roster's "at risk" with seven days), one
// message per person and week whatever the number of courses, skipping
// people who opted out, are disabled or have not confirmed their address. It is safe to call often and from
// several instances: the dedupe key admits one message per person and week.
func (s *Store) QueueWeeklyReminders(ctx context.Context, baseURL string) (int, error) {
	now := s.clock.Now()
	prefix := "reminder:weekly:" + ISOWeek(now) + ":"
	// A run over every course may take longer than one query's deadline.
	ctx, cancel := context.WithTimeout(ctx, ExportTimeout)
	defer cancel()
	db := s.db.WithContext(ctx)
	sc, err := s.loadSchedule(db, 0, now)
	if err != nil {
		return 0, err
	}
	secret, err := s.unsubscribeSecret(db)
	if err != nil {
		return 0, err
	}
	cutoff := now.Add(-DefaultInactiveDays * 24 * time.Hour)
	total := 0
	for after := int64(0); ; {
		rows, err := s.reminderCandidates(db, sc, 0, cutoff, func(q *sqlText) {
			q.add(` AND u.reminders_opt_out = ? AND u.email_verified_at IS NOT NULL AND u.id > ?
  AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = CAST(? AS TEXT) || CAST(u.id AS TEXT))
ORDER BY u.id, e.id LIMIT ?`, false, after, prefix, weeklyBatch)
		})
		if err != nil {
			return total, err
		}
		full := len(rows) == weeklyBatch
		if full {
			rows = trimLastPerson(rows)
		}
		if len(rows) == 0 {
			return total, s.auditWeekly(db, total)
		}
		mails := s.weeklyReminders(rows, prefix, baseURL, secret)
		n, err := queueMail(db, mails)
		total += n
		if err != nil {
			return total, err
		}
		if !full {
			return total, s.auditWeekly(db, total)
		}
		after = rows[len(rows)-1].UserID
	}
}

// trimLastPerson drops the last person's rows from a full batch (they may
// continue in the next one), unless that would leave nothing.
func trimLastPerson(rows []reminderCandidate) []reminderCandidate {
	last := rows[len(rows)-1].UserID
	i := len(rows)
	for i > 0 && rows[i-1].UserID == last {
		i--
	}
	if i == 0 {
		return rows
	}
	return rows[:i]
}

// weeklyReminders groups the candidate rows (ordered by person) into one
// message per person.
func (s *Store) weeklyReminders(rows []reminderCandidate, prefix, baseURL string, secret []byte) []queuedMail {
	var mails []queuedMail
	for start := 0; start < len(rows); {
		end := start
		for end < len(rows) && rows[end].UserID == rows[start].UserID {
			end++
		}
		mails = append(mails, s.weeklyReminder(rows[start:end], prefix, baseURL, unsubscribeLink(baseURL, secret, rows[start].UserID)))
		start = end
	}
	return mails
}

func (s *Store) weeklyReminder(rows []reminderCandidate, prefix, baseURL, unsubscribe string) queuedMail {
	first := &rows[0]
	loc := s.langs.For(first.Language)
	var b strings.Builder
	b.WriteString(loc.N("mail.weekly.behind", len(rows)) + "\n")
	for i := range rows {
		r := &rows[i]
		fmt.Fprintf(&b, "\n%s (%s)\n%s%s/learn/%s\n", r.CourseTitle, r.CohortName, behindLine(loc, r), baseURL, r.CourseSlug)
	}
	b.WriteString(reminderFooter(loc, unsubscribe))
	subject := loc.T("mail.weekly.subject_one", "Course", first.CourseTitle)
	if len(rows) > 1 {
		subject = loc.N("mail.weekly.subject_many", len(rows))
	}
	m := s.newQueuedMail(loc, MailWeeklyReminder, prefix+strconv.FormatInt(first.UserID, 10), first.Email, first.FullName, subject, b.String())
	m.ListUnsubscribe, m.UserID = unsubscribe, &first.UserID
	if len(rows) == 1 {
		// A message about one course is visible to its instructors; one
		// about several courses only to administrators.
		m.CourseID = &first.CourseID
	}
	return m
}

// auditWeekly records a weekly run that queued anything; the system is the
// actor, so the entry has none.
func (s *Store) auditWeekly(db *gorm.DB, queued int) error {
	if queued == 0 {
		return nil
	}
	entry := AuditEntry{Action: "reminders.weekly", Target: "outbox",
		Detail: fmt.Sprintf("queued %d weekly reminders for %s", queued, ISOWeek(s.clock.Now())), CreatedAt: s.clock.Now()}
	if err := db.Create(&entry).Error; err != nil {
		return fmt.Errorf("store: unable to write audit log: %w", err)
	}
	return nil
}
