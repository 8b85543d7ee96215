package models

import (
	"context"
	"fmt"
	"time"
)

// ReadingVisit is what the reader page needs for one signed-in person,
// read in one statement: who they are (the session and its user), what
// they may do with the reading (Access, with their progress) and the
// published readings around it.
type ReadingVisit struct {
	User       *User
	Session    *Session
	Access     *Access
	Neighbours Neighbours
}

// sessionUserColumns are the session's and its user's columns a visit
// reads, in the order of readingVisitRow.dests. The password hash stays in
// the database.
const sessionUserColumns = `u.id, u.email, u.full_name, u.role, u.reminders_opt_out, u.disabled_at, u.mfa_enabled_at,
  u.email_verified_at, u.erased_at, u.created_at, u.updated_at, u.language,
  s.last_seen_at, s.confirmed_at, s.created_at, s.expires_at`

// neighbourColumns and neighbourJoins find the published readings just
// before and after r in syllabus order (week, position, id), each by one
// indexed lookup; the two placeholders are the published flag.
const neighbourColumns = `pr.slug, pr.title, pw.number, nr.slug, nr.title, nw.number`

const neighbourJoins = `
LEFT JOIN readings pr ON pr.id = (SELECT r2.id FROM readings r2 JOIN weeks w2 ON w2.id = r2.week_id
  WHERE r2.course_id = c.id AND r2.published = ? AND (w2.number, r2.position, r2.id) < (w.number, r.position, r.id)
  ORDER BY w2.number DESC, r2.position DESC, r2.id DESC LIMIT 1)
LEFT JOIN weeks pw ON pw.id = pr.week_id
LEFT JOIN readings nr ON nr.id = (SELECT r2.id FROM readings r2 JOIN weeks w2 ON w2.id = r2.week_id
  WHERE r2.course_id = c.id AND r2.published = ? AND (w2.number, r2.position, r2.id) > (w.number, r.position, r.id)
  ORDER BY w2.number, r2.position, r2.id LIMIT 1)
LEFT JOIN weeks nw ON nw.id = nr.week_id`

// readingVisitQuery takes a course slug, a reading slug, the published flag
// twice and sessionValidArgs.
var readingVisitQuery = "SELECT " + sessionUserColumns + ",\n" + accessColumns + ",\n" + neighbourColumns +
	"\nFROM sessions s JOIN users u ON u.id = s.user_id\nJOIN courses c ON c.slug = ?" + accessJoins("u.id") +
	neighbourJoins + "\nWHERE " + sessionValid

// readingVisitRow is the one row of readingVisitQuery.
type readingVisitRow struct {
	user                                     User
	lastSeen, createdAt, expiresAt           time.Time
	confirmedAt                              *time.Time
	access                                   accessRow
	prevSlug, prevTitle, nextSlug, nextTitle *string
	prevWeek, nextWeek                       *int
}

func (v *readingVisitRow) dests() []any {
	u := &v.user
	d := []any{&u.ID, &u.Email, &u.FullName, &u.Role, &u.RemindersOptOut, &u.DisabledAt, &u.MFAEnabledAt,
		&u.EmailVerifiedAt, &u.ErasedAt, &u.CreatedAt, &u.UpdatedAt, &u.Language,
		&v.lastSeen, &v.confirmedAt, &v.createdAt, &v.expiresAt}
	d = append(d, v.access.dests()...)
	return append(d, &v.prevSlug, &v.prevTitle, &v.prevWeek, &v.nextSlug, &v.nextTitle, &v.nextWeek)
}

// VisitReading resolves a session token and checks the reading for its
// user in one prepared statement on PostgreSQL, with the same rules as
// UserBySession and ReadingAccess. It returns ErrNotFound when the session
// is not live or the course has no such reading, and the visit with the
// reason (ErrNotEnrolled, ErrNotActive, ErrReadingLocked) when the person
// may not read it. Nothing is cached: a session ended or an enrollment
// withdrawn on any instance is refused on the next request. On SQLite it
// returns ErrNoQuickPath: its driver parses a statement on every run, and
// this long one cost more to parse than the three short ones it replaces
// (the reader ran at half PostgreSQL's rate).
func (s *Store) VisitReading(ctx context.Context, token, courseSlug, readingSlug string) (*ReadingVisit, error) {
	if s.dialect != Postgres {
		return nil, ErrNoQuickPath
	}
	if token == "" || len(token) > 128 {
		return nil, ErrNotFound
	}
	id, now := sessionID(token), s.clock.Now()
	ctx, cancel := context.WithTimeout(ctx, queryTimeout)
	defer cancel()
	args := append([]any{courseSlug, readingSlug, true, true}, sessionValidArgs(id, now)...)
	var row readingVisitRow
	found, err := s.queryRowPrepared(ctx, readingVisitQuery, args, row.dests()...)
	if err != nil {
		return nil, fmt.Errorf("store: unable to load the reading visit: %w", err)
	}
	if !found {
		return nil, ErrNotFound
	}
	if row.lastSeen, err = s.touchSessionIfIdle(ctx, id, row.lastSeen, now); err != nil {
		return nil, err
	}
	v := &ReadingVisit{User: &row.user, Session: &Session{ID: id, UserID: row.user.ID, CreatedAt: row.createdAt,
		LastSeenAt: row.lastSeen, ExpiresAt: row.expiresAt, ConfirmedAt: row.confirmedAt}}
	if v.Access, err = row.access.granted(row.user.ID, now); err != nil {
		if v.Access == nil {
			return nil, err
		}
		return v, err
	}
	v.Neighbours = row.neighbours(v.Access, now)
	return v, nil
}

// neighbours are the row's readings before and after, the next one open
// when its week is open to the person's cohort at now.
func (v *readingVisitRow) neighbours(a *Access, now time.Time) Neighbours {
	var n Neighbours
	if v.prevSlug != nil {
		n.Prev = &SyllabusEntry{Slug: *v.prevSlug, Title: *v.prevTitle, WeekNumber: *v.prevWeek}
	}
	if v.nextSlug != nil {
		n.Next = &SyllabusEntry{Slug: *v.nextSlug, Title: *v.nextTitle, WeekNumber: *v.nextWeek}
		n.NextOpen = a.Cohort.WeekOpen(n.Next.WeekNumber, now)
	}
	return n
}
