package models

import (
	"errors"
	"strconv"

	"gorm.io/gorm"
)

// Console errors: refusals the instructor and admin console explains.
var (
	ErrReadingHasProgress = errors.New("students have already started this reading, so it cannot be deleted")
	ErrCohortFull         = errors.New("the target cohort is full")
	ErrEditConflict       = errors.New("someone else saved this reading in the meantime")
	ErrSameCohort         = errors.New("the student is already in this cohort")
	ErrEnrollmentChanged  = errors.New("this student's enrollment changed meanwhile; reload the page and try again")
	ErrDisableSelf        = errors.New("you cannot disable your own account; another administrator can")
	ErrDemoteSelf         = errors.New("you cannot remove your own administrator role; another administrator can")
)

// within returns a store whose queries run inside tx, so that the store's
// single-statement methods (SaveReading, CreateCohort, SetRole …) join the
// caller's transaction and its audit entry commits or rolls back with them.
func (s *Store) within(tx *gorm.DB) *Store {
	return &Store{db: tx, dialect: s.dialect, clock: s.clock}
}

// Audit targets name what an action changed, like "course:international-relations".
func courseTarget(c *Course) string { return "course:" + c.Slug }

func readingTarget(c *Course, r *Reading) string { return "reading:" + c.Slug + "/" + r.Slug }

func cohortTarget(c *Course, id int64) string {
	return "cohort:" + c.Slug + "/" + strconv.FormatInt(id, 10)
}

func userTarget(u *User) string { return "user:" + u.Email }

func enrollmentTarget(c *Course, e *Enrollment) string {
	return "enrollment:" + c.Slug + "/" + strconv.FormatInt(e.ID, 10)
}
