package models

import (
	"fmt"
	"slices"
	"time"
)

// Roster filter values. Status narrows by enrollment status; Segment picks a
// slice of the class by progress.
const (
	RosterStatusLive       = "live" // active, waitlisted and completed: everyone but withdrawn
	RosterStatusAll        = "all"
	RosterSegmentAll       = "all"
	RosterSegmentNotStart  = "not-started"
	RosterSegmentProgress  = "in-progress"
	RosterSegmentAtRisk    = "at-risk"
	RosterSegmentCompleted = "completed"
)

// Roster limits.
const (
	DefaultInactiveDays = 7
	MaxInactiveDays     = 365
	DefaultRosterLimit  = 50
	MaxRosterLimit      = 200
)

// RosterSorts are the columns a roster can be sorted by.
var RosterSorts = []string{"name", "email", "status", "percent", "last_activity", "completed_at"}

// RosterStatuses are the accepted status filters.
var RosterStatuses = []string{RosterStatusLive, StatusActive, StatusWaitlisted, StatusCompleted, StatusWithdrawn, RosterStatusAll}

// RosterSegments are the accepted progress segments.
var RosterSegments = []string{RosterSegmentAll, RosterSegmentNotStart, RosterSegmentProgress, RosterSegmentAtRisk, RosterSegmentCompleted}

// RosterFilter selects and orders a course's roster.
type RosterFilter struct {
	CohortID int64 // 0: every cohort
	Status   string
	Segment  string
	// InactiveDays is how long without activity makes a student at risk.
	InactiveDays int
	Sort         string
	Desc         bool
	Limit        int
	// After and Before are keyset cursors from a previous page; at most one.
	After  string
	Before string
}

// Normalize fills in defaults and checks every value against its allow-list,
// so nothing a visitor typed reaches SQL except as a parameter.
func (f *RosterFilter) Normalize() error {
	if f.Status == "" {
		f.Status = RosterStatusLive
	}
	if f.Segment == "" {
		f.Segment = RosterSegmentAll
	}
	if f.Sort == "" {
		f.Sort = "name"
	}
	if f.InactiveDays == 0 {
		f.InactiveDays = DefaultInactiveDays
	}
	if f.Limit == 0 {
		f.Limit = DefaultRosterLimit
	}
	switch {
	case !slices.Contains(RosterStatuses, f.Status):
		return Invalid("status", "Status must be one of: live, active, waitlisted, completed, withdrawn, all.")
	case !slices.Contains(RosterSegments, f.Segment):
		return Invalid("show", "Show must be one of: all, not-started, in-progress, at-risk, completed.")
	case !slices.Contains(RosterSorts, f.Sort):
		return Invalid("sort", "Sort must be one of: name, email, status, percent, last_activity, completed_at.")
	case f.InactiveDays < 1 || f.InactiveDays > MaxInactiveDays:
		return Invalid("days", fmt.Sprintf("Days without activity must be between 1 and %d.", MaxInactiveDays))
	case f.Limit < 1 || f.Limit > MaxRosterLimit:
		return Invalid("limit", fmt.Sprintf("Page size must be between 1 and %d.", MaxRosterLimit))
	case f.After != "" && f.Before != "":
		return Invalid("after", "Give either after or before, not both.")
	}
	return nil
}

// RosterRow is one student of a roster with their progress.
type RosterRow struct {
	EnrollmentID         int64
	UserID               int64
	FullName             string
	Email                string
	RemindersOptOut      bool
	EmailVerified        bool
	Status               string
	CohortID             int64
	CohortName           string
	EnrolledAt           time.Time
	LastActivityAt       *time.Time
	CompletedAt          *time.Time
	CertificateCode      *string
	CertificateRevokedAt *time.Time
	// Percent follows the learner's own view: the average over the
	// required published readings as they are now.
	Percent          int
	ReadingsDone     int
	ReadingsRequired int
	// ReadingsDue is how many required readings the schedule has opened.
	ReadingsDue    int
	ReadingsOpened int
	AtRisk         bool
	// Checks are the student's scores on the roster's checks, in the order
	// of RosterPage.Checks (or of the checks an export was given).
	Checks []CheckScore `gorm:"-"`
}

// Certificate is the certificate code, or "".
func (r *RosterRow) Certificate() string {
	if r.CertificateCode == nil {
		return ""
	}
	return *r.CertificateCode
}

// NotStarted reports an active student who has opened no reading yet.
func (r *RosterRow) NotStarted() bool { return r.Status == StatusActive && r.ReadingsOpened == 0 }

// ReadingsAddedSinceCompletion counts the required readings a student who
// completed the course has not completed: they were added afterwards.
func (r *RosterRow) ReadingsAddedSinceCompletion() int {
	if r.Status != StatusCompleted {
		return 0
	}
	return max(r.ReadingsRequired-r.ReadingsDone, 0)
}

// RosterPage is one page of a roster.
type RosterPage struct {
	Rows []RosterRow
	// RequiredReadings is the course's number of required published readings.
	RequiredReadings int
	// Checks are the course's checked readings, when the page has rows.
	Checks []RosterCheck
	// Next and Prev are cursors for the neighbouring pages, "" when none.
	Next string
	Prev string
}

// CohortSummary counts a cohort's students by state.
type CohortSummary struct {
	CohortID   int64
	CohortName string
	Pacing     string
	Total      int
	Active     int
	Waitlisted int
	Completed  int
	Withdrawn  int
	NotStarted int
	AtRisk     int
}

// RosterSummary counts the students of a course, per cohort and in total.
type RosterSummary struct {
	Cohorts []CohortSummary
	Total   CohortSummary
}
