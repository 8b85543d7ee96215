package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// ReadingStatus is one reading as a learner sees it.
type ReadingStatus struct {
	Week     int
	Reading  *Reading
	Progress *ReadingProgress
	Open     bool
	OpensAt  time.Time
}

// Percent is the reading's progress, 100 once completed.
func (r *ReadingStatus) Percent() int {
	switch {
	case r.Progress == nil:
		return 0
	case r.Progress.CompletedAt != nil:
		return 100
	}
	return r.Progress.Percent
}

// Completed reports whether the reading is completed.
func (r *ReadingStatus) Completed() bool { return r.Progress != nil && r.Progress.CompletedAt != nil }

// Started reports whether the learner has opened the reading.
func (r *ReadingStatus) Started() bool { return r.Progress != nil }

// WeekStatus is one week as a learner sees it.
type WeekStatus struct {
	Week     *Week
	Open     bool
	OpensAt  time.Time
	Readings []*ReadingStatus
}

// CourseView is a learner's course: the syllabus with their progress.
type CourseView struct {
	Course     *Course
	Enrollment *Enrollment
	Cohort     *Cohort
	// Position in the waitlist, when waitlisted.
	Position       int
	Weeks          []*WeekStatus
	Percent        int
	RequiredCount  int
	CompletedCount int
	// Continue is the reading to resume, nil when everything is read.
	Continue    *ReadingStatus
	Certificate *Certificate
}

// ReadingsAddedSinceCompletion counts, in a completed course, the required
// readings the person has not completed: staff added them after the
// completion, which stands, certificate and all.
func (v *CourseView) ReadingsAddedSinceCompletion() int {
	if v.Enrollment == nil || v.Enrollment.Status != StatusCompleted {
		return 0
	}
	return max(v.RequiredCount-v.CompletedCount, 0)
}

// Readings lists every reading of the view in syllabus order.
func (v *CourseView) Readings() []*ReadingStatus {
	var all []*ReadingStatus
	for _, w := range v.Weeks {
		all = append(all, w.Readings...)
	}
	return all
}

// Find returns the status of one reading by slug.
func (v *CourseView) Find(slug string) *ReadingStatus {
	for _, r := range v.Readings() {
		if r.Reading.Slug == slug {
			return r
		}
	}
	return nil
}

// LearnerCourse builds a user's view of one course. The enrollment is nil
// when the user is not enrolled.
func (s *Store) LearnerCourse(ctx context.Context, userID int64, courseSlug string) (*CourseView, error) {
	views, err := s.learnerViews(ctx, userID, courseSlug)
	if err != nil {
		return nil, err
	}
	if len(views) == 1 {
		return views[0], nil
	}
	course, err := s.CourseOutline(ctx, courseSlug, false)
	if err != nil {
		return nil, err
	}
	return &CourseView{Course: course}, nil
}

// LearnerCourses builds the user's view of every course they are enrolled in,
// in three queries whatever their number.
func (s *Store) LearnerCourses(ctx context.Context, userID int64) ([]*CourseView, error) {
	return s.learnerViews(ctx, userID, "")
}

// learnerRow is an enrollment with its course, cohort and certificate.
type learnerRow struct {
	EnrollmentID, CourseID, CohortID       int64
	Status                                 string
	CreatedAt                              time.Time
	ActivatedAt, CompletedAt, LastActiveAt *time.Time
	CohortName, Pacing                     string
	StartsAt                               time.Time
	Capacity                               *int
	SeatsTaken                             int
	Slug, Title, Subtitle, Provider        string
	CertificatesOpen                       bool
	CertificateCode                        *string
	CertificateRevokedAt                   *time.Time
}

func (s *Store) learnerViews(ctx context.Context, userID int64, courseSlug string) ([]*CourseView, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	q := db.Table("enrollments e").Select(`e.id AS enrollment_id, e.course_id, e.cohort_id, e.status, e.created_at,
  e.activated_at, e.completed_at, e.last_activity_at AS last_active_at,
  co.name AS cohort_name, co.pacing, co.starts_at, co.capacity, co.seats_taken,
  c.slug, c.title, c.subtitle, c.provider, c.certificates_open, cert.code AS certificate_code, cert.revoked_at AS certificate_revoked_at`).
		Joins("JOIN cohorts co ON co.id = e.cohort_id").
		Joins("JOIN courses c ON c.id = e.course_id").
		Joins("LEFT JOIN certificates cert ON cert.enrollment_id = e.id").
		Where("e.user_id = ? AND e.status <> ?", userID, StatusWithdrawn)
	if courseSlug != "" {
		q = q.Where("c.slug = ?", courseSlug)
	}
	var rows []learnerRow
	if err := q.Order("e.created_at DESC, e.id DESC").Scan(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to load enrollments: %w", err)
	}
	if len(rows) == 0 {
		return nil, nil
	}
	courseIDs, enrollmentIDs := make([]int64, len(rows)), make([]int64, len(rows))
	for i, r := range rows {
		courseIDs[i], enrollmentIDs[i] = r.CourseID, r.EnrollmentID
	}
	weeks, err := s.publishedWeeks(db, courseIDs)
	if err != nil {
		return nil, err
	}
	progress, err := s.progressOf(db, enrollmentIDs)
	if err != nil {
		return nil, err
	}
	views := make([]*CourseView, 0, len(rows))
	for _, r := range rows {
		v := r.view(weeks[r.CourseID])
		if v.Enrollment.Status == StatusWaitlisted {
			if v.Position, err = waitlistPosition(db, v.Enrollment); err != nil {
				return nil, err
			}
		}
		s.fillCourseView(v, progress[r.EnrollmentID])
		views = append(views, v)
	}
	return views, nil
}

func (r *learnerRow) view(weeks []Week) *CourseView {
	v := &CourseView{
		Course: &Course{ID: r.CourseID, Slug: r.Slug, Title: r.Title, Subtitle: r.Subtitle, Provider: r.Provider,
			Published: true, CertificatesOpen: r.CertificatesOpen, Weeks: weeks},
		Enrollment: &Enrollment{ID: r.EnrollmentID, CourseID: r.CourseID, CohortID: r.CohortID, Status: r.Status,
			CreatedAt: r.CreatedAt, ActivatedAt: r.ActivatedAt, CompletedAt: r.CompletedAt, LastActivityAt: r.LastActiveAt},
		Cohort: &Cohort{ID: r.CohortID, CourseID: r.CourseID, Name: r.CohortName, Pacing: r.Pacing,
			StartsAt: r.StartsAt, Capacity: r.Capacity, SeatsTaken: r.SeatsTaken},
	}
	if r.CertificateCode != nil && r.CompletedAt != nil {
		v.Certificate = &Certificate{Code: *r.CertificateCode, CourseID: r.CourseID, EnrollmentID: r.EnrollmentID,
			CompletedAt: *r.CompletedAt, RevokedAt: r.CertificateRevokedAt}
	}
	return v
}

// syllabusRow is a week with one of its published readings, if any.
type syllabusRow struct {
	WeekID, CourseID                  int64
	Number                            int
	WeekTitle, WeekSummary            string
	ReadingID                         *int64
	ReadingSlug, ReadingTitle         *string
	Required                          *bool
	WordCount, ParagraphCount, RVersn *int
}

// publishedWeeks loads the weeks and published readings of several courses
// in one query, keyed by course.
func (s *Store) publishedWeeks(db *gorm.DB, courseIDs []int64) (map[int64][]Week, error) {
	var rows []syllabusRow
	err := db.Raw(`SELECT w.id AS week_id, w.course_id, w.number, w.title AS week_title, w.summary AS week_summary,
  r.id AS reading_id, r.slug AS reading_slug, r.title AS reading_title, r.required, r.word_count,
  r.paragraph_count, r.version AS r_versn
FROM weeks w LEFT JOIN readings r ON r.week_id = w.id AND r.published = ?
WHERE w.course_id IN ? ORDER BY w.course_id, w.number, r.position, r.id`, true, courseIDs).Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to load syllabus: %w", err)
	}
	byCourse := map[int64][]Week{}
	for _, r := range rows {
		weeks := byCourse[r.CourseID]
		if len(weeks) == 0 || weeks[len(weeks)-1].ID != r.WeekID {
			weeks = append(weeks, Week{ID: r.WeekID, CourseID: r.CourseID, Number: r.Number, Title: r.WeekTitle, Summary: r.WeekSummary})
		}
		if r.ReadingID != nil {
			w := &weeks[len(weeks)-1]
			w.Readings = append(w.Readings, Reading{ID: *r.ReadingID, CourseID: r.CourseID, WeekID: r.WeekID,
				Slug: *r.ReadingSlug, Title: *r.ReadingTitle, Required: *r.Required, Published: true,
				WordCount: *r.WordCount, ParagraphCount: *r.ParagraphCount, Version: *r.RVersn})
		}
		byCourse[r.CourseID] = weeks
	}
	return byCourse, nil
}

// progressOf loads the progress rows of several enrollments in one query.
func (s *Store) progressOf(db *gorm.DB, enrollmentIDs []int64) (map[int64]map[int64]*ReadingProgress, error) {
	var rows []ReadingProgress
	if err := db.Where("enrollment_id IN ?", enrollmentIDs).Find(&rows).Error; err != nil {
		return nil, fmt.Errorf("store: unable to load progress: %w", err)
	}
	out := map[int64]map[int64]*ReadingProgress{}
	for i := range rows {
		p := &rows[i]
		if out[p.EnrollmentID] == nil {
			out[p.EnrollmentID] = map[int64]*ReadingProgress{}
		}
		out[p.EnrollmentID][p.ReadingID] = p
	}
	return out, nil
}

func (s *Store) fillCourseView(v *CourseView, progress map[int64]*ReadingProgress) {
	now := s.clock.Now()
	percentSum := 0
	var lastActive *ReadingStatus
	for i := range v.Course.Weeks {
		w := &v.Course.Weeks[i]
		ws := &WeekStatus{Week: w, Open: v.Cohort.WeekOpen(w.Number, now), OpensAt: v.Cohort.WeekOpensAt(w.Number)}
		for j := range w.Readings {
			r := &w.Readings[j]
			rs := &ReadingStatus{Week: w.Number, Reading: r, Progress: progress[r.ID], Open: ws.Open, OpensAt: ws.OpensAt}
			ws.Readings = append(ws.Readings, rs)
			if r.Required {
				v.RequiredCount++
				percentSum += rs.Percent()
				if rs.Completed() {
					v.CompletedCount++
				}
			}
			if rs.Started() && !rs.Completed() &&
				(lastActive == nil || rs.Progress.LastActivityAt.After(lastActive.Progress.LastActivityAt)) {
				lastActive = rs
			}
		}
		v.Weeks = append(v.Weeks, ws)
	}
	// One rule everywhere (the roster's percentExpr too): percent and
	// counts are over the required readings as they are now. A course
	// completed before a required reading was added stays completed, with
	// its certificate, and says so (ReadingsAddedSinceCompletion).
	switch {
	case v.RequiredCount > 0:
		v.Percent = percentSum / v.RequiredCount
	case v.Enrollment.Status == StatusCompleted:
		v.Percent = 100
	}
	v.Continue = lastActive
	if v.Continue == nil {
		for _, rs := range v.Readings() {
			if rs.Open && !rs.Completed() {
				v.Continue = rs
				break
			}
		}
	}
}

// EnrollmentSummary is one line of "my courses".
type EnrollmentSummary struct {
	Enrollment
	CourseSlug  string
	CourseTitle string
}

// EnrollmentsOf lists a user's live and completed enrollments.
func (s *Store) EnrollmentsOf(ctx context.Context, userID int64) ([]EnrollmentSummary, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var rows []EnrollmentSummary
	err := db.Table("enrollments").
		Select("enrollments.*, courses.slug AS course_slug, courses.title AS course_title").
		Joins("JOIN courses ON courses.id = enrollments.course_id").
		Where("enrollments.user_id = ? AND enrollments.status <> ?", userID, StatusWithdrawn).
		Order("enrollments.created_at DESC").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list enrollments: %w", err)
	}
	return rows, nil
}
