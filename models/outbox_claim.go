package models

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// maxErrorLength bounds the last_error kept for a message.
const maxErrorLength = 500

// ClaimDueMail claims up to limit due messages for token: pending, due, and
// not under someone else's live lease. Each claim counts as an attempt, so a
// message that crashes its worker still gives up in the end.
//
// On PostgreSQL the candidate rows are locked with FOR UPDATE SKIP LOCKED, so
// concurrent workers take disjoint batches without waiting on each other; on
// SQLite the single UPDATE statement is atomic, since writes are serialised.
func (s *Store) ClaimDueMail(ctx context.Context, token string, limit int, lease time.Duration) ([]OutboxEntry, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	now := s.clock.Now()
	lock := ""
	if s.dialect == Postgres {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	err := db.Exec(`UPDATE outbox SET claim_token = ?, locked_until = ?, attempts = attempts + 1
WHERE id IN (SELECT id FROM outbox
             WHERE status = ? AND next_attempt_at <= ? AND (locked_until IS NULL OR locked_until < ?)
             ORDER BY next_attempt_at, id LIMIT ?`+lock+`)`,
		token, now.Add(lease), MailPending, now, now, limit).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to claim mail: %w", err)
	}
	var msgs []OutboxEntry
	err = db.Where("claim_token = ? AND status = ?", token, MailPending).Order("next_attempt_at, id").Find(&msgs).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to load claimed mail: %w", err)
	}
	return msgs, nil
}

// RenewMailClaim extends the lease just before a send, and reports whether
// the claim is still ours.
func (s *Store) RenewMailClaim(ctx context.Context, id int64, token string, lease time.Duration) (bool, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	res := db.Exec("UPDATE outbox SET locked_until = ? WHERE id = ? AND claim_token = ? AND status = ?",
		s.clock.Now().Add(lease), id, token, MailPending)
	if res.Error != nil {
		return false, fmt.Errorf("store: unable to renew mail claim: %w", res.Error)
	}
	return res.RowsAffected == 1, nil
}

// MarkMailSent records a delivery and ends the claim.
func (s *Store) MarkMailSent(ctx context.Context, id int64, token string) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	err := db.Exec(`UPDATE outbox SET status = ?, sent_at = ?, locked_until = NULL, claim_token = ''
WHERE id = ? AND claim_token = ?`, MailSent, s.clock.Now(), id, token).Error
	if err != nil {
		return fmt.Errorf("store: unable to mark mail sent: %w", err)
	}
	s.events.MailSent()
	return nil
}

// MarkMailFailed records a failed attempt: retried at next, or given up.
func (s *Store) MarkMailFailed(ctx context.Context, id int64, token string, giveUp bool, next time.Time, reason string) error {
	status := MailPending
	if giveUp {
		status = MailFailed
	}
	db, cancel := s.conn(ctx)
	defer cancel()
	err := db.Exec(`UPDATE outbox SET status = ?, next_attempt_at = ?, last_error = ?, locked_until = NULL, claim_token = ''
WHERE id = ? AND claim_token = ?`, status, next, clipError(reason), id, token).Error
	if err != nil {
		return fmt.Errorf("store: unable to record mail failure: %w", err)
	}
	s.events.MailFailed(giveUp)
	return nil
}

// ReleaseMailClaim hands unsent claimed messages back, without counting the
// attempt.
func (s *Store) ReleaseMailClaim(ctx context.Context, token string) error {
	db, cancel := s.conn(ctx)
	defer cancel()
	err := db.Exec(`UPDATE outbox SET locked_until = NULL, claim_token = '', attempts = attempts - 1
WHERE claim_token = ? AND status = ?`, token, MailPending).Error
	if err != nil {
		return fmt.Errorf("store: unable to release mail claim: %w", err)
	}
	return nil
}

func clipError(s string) string {
	s = strings.ToValidUTF8(strings.TrimSpace(s), "?")
	if len(s) <= maxErrorLength {
		return s
	}
	cut := maxErrorLength
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
