package models

import "gorm.io/gorm"

// Events hears what the store did, once it is committed, so that metrics
// can count it. Methods are called on the request's goroutine and must not
// block.
type Events interface {
	// Enrolled: a new enrollment, seated or on the waitlist.
	Enrolled(waitlisted bool)
	// CourseCompleted: an enrollment completed and its certificate was
	// issued in the same transaction.
	CourseCompleted()
	// LoginFailed: a wrong email or password.
	LoginFailed()
	// LoginThrottled: a sign-in refused for too many recent failures.
	LoginThrottled()
	// MailSent and MailFailed: an outbox delivery, or a failed attempt
	// (retried later unless gaveUp).
	MailSent()
	MailFailed(gaveUp bool)
}

// noEvents is the store's listener until SetEvents gives it one.
type noEvents struct{}

func (noEvents) Enrolled(bool)    {}
func (noEvents) CourseCompleted() {}
func (noEvents) LoginFailed()     {}
func (noEvents) LoginThrottled()  {}
func (noEvents) MailSent()        {}
func (noEvents) MailFailed(bool)  {}

// SetEvents makes e hear the store's events. Call it before serving.
func (s *Store) SetEvents(e Events) { s.events = e }

// pendingEvents holds the events of a transaction until it commits: a
// rolled-back completion was never made.
type pendingEvents struct{ reports []func(Events) }

type pendingEventsKey struct{}

func (p *pendingEvents) report(e Events) {
	for _, r := range p.reports {
		r(e)
	}
}

// afterCommit reports an event once the transaction of tx commits, or at
// once when tx is not a transaction the store began.
func (s *Store) afterCommit(tx *gorm.DB, report func(Events)) {
	if p, ok := tx.Statement.Context.Value(pendingEventsKey{}).(*pendingEvents); ok {
		p.reports = append(p.reports, report)
		return
	}
	report(s.events)
}
