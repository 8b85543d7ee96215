package models

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// AccountExport is everything the portal holds about one person, as they
// download it from their account page.
type AccountExport struct {
	ExportedAt   time.Time           `json:"exported_at"`
	Account      ExportedAccount     `json:"account"`
	Enrollments  []ExportedEnrolment `json:"enrollments"`
	Certificates []ExportedCert      `json:"certificates"`
	Emails       []ExportedEmail     `json:"emails"`
	Sessions     []ExportedSession   `json:"sessions"`
}

// ExportedAccount is the account itself; the password is never exported.
type ExportedAccount struct {
	ID              int64      `json:"id"`
	FullName        string     `json:"full_name"`
	Email           string     `json:"email"`
	EmailVerifiedAt *time.Time `json:"email_verified_at"`
	Role            string     `json:"role"`
	RemindersOptOut bool       `json:"reminders_opt_out"`
	Language        string     `json:"language"`
	CreatedAt       time.Time  `json:"created_at"`
	UpdatedAt       time.Time  `json:"updated_at"`
}

// ExportedEnrolment is one enrollment with the progress of each reading.
type ExportedEnrolment struct {
	Course         string             `json:"course"`
	CourseTitle    string             `json:"course_title"`
	Cohort         string             `json:"cohort"`
	Status         string             `json:"status"`
	EnrolledAt     time.Time          `json:"enrolled_at"`
	ActivatedAt    *time.Time         `json:"activated_at"`
	CompletedAt    *time.Time         `json:"completed_at"`
	WithdrawnAt    *time.Time         `json:"withdrawn_at"`
	LastActivityAt *time.Time         `json:"last_activity_at"`
	Progress       []ExportedProgress `json:"progress"`
	CheckAttempts  []ExportedAttempt  `json:"check_attempts"`
}

// ExportedAttempt is one attempt at a reading's knowledge check, with the
// answers given ({"question id": [option ids]}).
type ExportedAttempt struct {
	Reading      string          `json:"reading"`
	Number       int             `json:"number"`
	ScorePercent int             `json:"score_percent"`
	Passed       bool            `json:"passed"`
	Answers      json.RawMessage `json:"answers"`
	At           time.Time       `json:"at"`
}

// ExportedProgress is the progress of one reading.
type ExportedProgress struct {
	Reading        string     `json:"reading"`
	ReadingTitle   string     `json:"reading_title"`
	Percent        int        `json:"percent"`
	Position       string     `json:"position"`
	SecondsRead    int        `json:"seconds_read"`
	FirstOpenedAt  time.Time  `json:"first_opened_at"`
	LastActivityAt time.Time  `json:"last_activity_at"`
	CompletedAt    *time.Time `json:"completed_at"`
}

// ExportedCert is one certificate as issued.
type ExportedCert struct {
	Code          string     `json:"code"`
	RecipientName string     `json:"recipient_name"`
	CourseTitle   string     `json:"course_title"`
	Cohort        string     `json:"cohort"`
	Issuer        string     `json:"issuer"`
	CompletedAt   time.Time  `json:"completed_at"`
	IssuedAt      time.Time  `json:"issued_at"`
	RevokedAt     *time.Time `json:"revoked_at"`
	RevokedReason string     `json:"revoked_reason,omitempty"`
}

// ExportedEmail is one message written to the person, with single-use
// links masked.
type ExportedEmail struct {
	To        string     `json:"to"`
	Subject   string     `json:"subject"`
	Body      string     `json:"body"`
	Kind      string     `json:"kind"`
	Status    string     `json:"status"`
	WrittenAt time.Time  `json:"written_at"`
	SentAt    *time.Time `json:"sent_at"`
}

// ExportedSession is one signed-in browser or client.
type ExportedSession struct {
	SignedInAt time.Time `json:"signed_in_at"`
	LastSeenAt time.Time `json:"last_seen_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	UserAgent  string    `json:"user_agent"`
}

// ExportAccount gathers everything held about the person: every query is
// bound to their id, so nobody else's data can appear.
func (s *Store) ExportAccount(ctx context.Context, userID int64) (*AccountExport, error) {
	u, err := s.UserByID(ctx, userID)
	if err != nil {
		return nil, err
	}
	out := &AccountExport{ExportedAt: s.clock.Now(), Account: ExportedAccount{ID: u.ID, FullName: u.FullName,
		Email: u.Email, EmailVerifiedAt: u.EmailVerifiedAt, Role: u.Role, RemindersOptOut: u.RemindersOptOut,
		Language: u.Language, CreatedAt: u.CreatedAt, UpdatedAt: u.UpdatedAt}}
	steps := []func(context.Context, *AccountExport, int64) error{
		s.exportEnrollments, s.exportCertificates, s.exportEmails, s.exportSessions}
	for _, step := range steps {
		if err := step(ctx, out, userID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (s *Store) exportEnrollments(ctx context.Context, out *AccountExport, userID int64) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	var rows []struct {
		Enrollment
		CourseSlug  string
		CourseTitle string
		CohortName  string
	}
	err := db.Table("enrollments e").Select("e.*, c.slug AS course_slug, c.title AS course_title, co.name AS cohort_name").
		Joins("JOIN courses c ON c.id = e.course_id").Joins("JOIN cohorts co ON co.id = e.cohort_id").
		Where("e.user_id = ?", userID).Order("e.id").Scan(&rows).Error
	if err != nil {
		return fmt.Errorf("store: unable to export enrollments: %w", err)
	}
	byID := map[int64]int{}
	out.Enrollments = make([]ExportedEnrolment, 0, len(rows))
	for _, r := range rows {
		byID[r.Enrollment.ID] = len(out.Enrollments)
		out.Enrollments = append(out.Enrollments, ExportedEnrolment{Course: r.CourseSlug, CourseTitle: r.CourseTitle,
			Cohort: r.CohortName, Status: r.Status, EnrolledAt: r.CreatedAt, ActivatedAt: r.ActivatedAt,
			CompletedAt: r.CompletedAt, WithdrawnAt: r.WithdrawnAt, LastActivityAt: r.LastActivityAt,
			Progress: []ExportedProgress{}, CheckAttempts: []ExportedAttempt{}})
	}
	var progress []struct {
		ReadingProgress
		Slug  string
		Title string
	}
	err = db.Table("reading_progress p").Select("p.*, r.slug, r.title").
		Joins("JOIN enrollments e ON e.id = p.enrollment_id").Joins("JOIN readings r ON r.id = p.reading_id").
		Where("e.user_id = ?", userID).Order("p.enrollment_id, r.id").Scan(&progress).Error
	if err != nil {
		return fmt.Errorf("store: unable to export progress: %w", err)
	}
	for _, p := range progress {
		i, ok := byID[p.EnrollmentID]
		if !ok {
			continue
		}
		out.Enrollments[i].Progress = append(out.Enrollments[i].Progress, ExportedProgress{Reading: p.Slug,
			ReadingTitle: p.Title, Percent: p.Percent, Position: p.Position(), SecondsRead: p.SecondsRead,
			FirstOpenedAt: p.FirstOpenedAt, LastActivityAt: p.LastActivityAt, CompletedAt: p.CompletedAt})
	}
	return s.exportCheckAttempts(db, out, byID, userID)
}

func (s *Store) exportCheckAttempts(db *gorm.DB, out *AccountExport, byID map[int64]int, userID int64) error {
	var attempts []struct {
		EnrollmentID int64
		Slug         string
		Number       int
		ScorePercent int
		Passed       bool
		Answers      string
		CreatedAt    time.Time
	}
	err := db.Table("check_attempts a").Select("a.enrollment_id, r.slug, a.number, a.score_percent, a.passed, a.answers, a.created_at").
		Joins("JOIN enrollments e ON e.id = a.enrollment_id").Joins("JOIN checks c ON c.id = a.check_id").
		Joins("JOIN readings r ON r.id = c.reading_id").Where("e.user_id = ?", userID).Order("a.id").Scan(&attempts).Error
	if err != nil {
		return fmt.Errorf("store: unable to export check attempts: %w", err)
	}
	for _, a := range attempts {
		i, ok := byID[a.EnrollmentID]
		if !ok {
			continue
		}
		answers := json.RawMessage(a.Answers)
		if !json.Valid(answers) {
			answers, _ = json.Marshal(a.Answers)
		}
		out.Enrollments[i].CheckAttempts = append(out.Enrollments[i].CheckAttempts, ExportedAttempt{Reading: a.Slug,
			Number: a.Number, ScorePercent: a.ScorePercent, Passed: a.Passed, Answers: answers, At: a.CreatedAt})
	}
	return nil
}

func (s *Store) exportCertificates(ctx context.Context, out *AccountExport, userID int64) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	var certs []Certificate
	if err := db.Where("user_id = ?", userID).Order("id").Find(&certs).Error; err != nil {
		return fmt.Errorf("store: unable to export certificates: %w", err)
	}
	out.Certificates = make([]ExportedCert, 0, len(certs))
	for _, c := range certs {
		out.Certificates = append(out.Certificates, ExportedCert{Code: c.Code, RecipientName: c.RecipientName,
			CourseTitle: c.CourseTitle, Cohort: c.CohortName, Issuer: c.IssuerName, CompletedAt: c.CompletedAt,
			IssuedAt: c.IssuedAt, RevokedAt: c.RevokedAt, RevokedReason: c.RevokedReason})
	}
	return nil
}

func (s *Store) exportEmails(ctx context.Context, out *AccountExport, userID int64) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	var msgs []OutboxEntry
	if err := db.Where("user_id = ?", userID).Order("id").Find(&msgs).Error; err != nil {
		return fmt.Errorf("store: unable to export emails: %w", err)
	}
	out.Emails = make([]ExportedEmail, 0, len(msgs))
	for _, m := range msgs {
		out.Emails = append(out.Emails, ExportedEmail{To: m.ToEmail, Subject: m.Subject, Body: MaskSecretLinks(m.BodyText),
			Kind: m.Kind, Status: m.Status, WrittenAt: m.CreatedAt, SentAt: m.SentAt})
	}
	return nil
}

func (s *Store) exportSessions(ctx context.Context, out *AccountExport, userID int64) error {
	sessions, err := s.UserSessions(ctx, userID)
	if err != nil {
		return err
	}
	out.Sessions = make([]ExportedSession, 0, len(sessions))
	for _, ss := range sessions {
		out.Sessions = append(out.Sessions, ExportedSession{SignedInAt: ss.CreatedAt, LastSeenAt: ss.LastSeenAt,
			ExpiresAt: ss.ExpiresAt, UserAgent: ss.UserAgent})
	}
	return nil
}
