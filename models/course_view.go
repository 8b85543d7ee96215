package models

import (
	"context"
	"errors"
	"fmt"
	"time"
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

// LearnerCourse builds a user's view of a course. The enrollment may be nil
// when the user is not enrolled.
func (s *Store) LearnerCourse(ctx context.Context, userID int64, courseSlug string) (*CourseView, error) {
	course, err := s.CourseOutline(ctx, courseSlug, false)
	if err != nil {
		return nil, err
	}
	v := &CourseView{Course: course}
	e, pos, err := s.EnrollmentFor(ctx, userID, course.ID)
	if errors.Is(err, ErrNotFound) {
		return v, nil
	}
	if err != nil {
		return nil, err
	}
	v.Enrollment, v.Position = e, pos
	if v.Cohort, err = s.CohortByID(ctx, e.CohortID); err != nil {
		return nil, fmt.Errorf("store: unable to load cohort: %w", err)
	}
	progress, err := s.ProgressFor(ctx, e.ID)
	if err != nil {
		return nil, err
	}
	s.fillCourseView(v, progress)
	if e.Status == StatusCompleted {
		if v.Certificate, err = s.CertificateForEnrollment(ctx, e.ID); err != nil && !errors.Is(err, ErrNotFound) {
			return nil, err
		}
	}
	return v, nil
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
	if v.RequiredCount > 0 {
		v.Percent = percentSum / v.RequiredCount
	}
	if v.Enrollment.Status == StatusCompleted {
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
