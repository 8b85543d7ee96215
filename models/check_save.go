package models

import (
	"context"
	"fmt"

	"gorm.io/gorm"
)

// SaveCheck creates or replaces a reading's check. Questions and options
// that carry the id of one the check already has are updated in place, so
// their ids (and the answers past attempts recorded against them) stay;
// others are added, and those left out are removed. Exporting and saving
// back the same check therefore changes nothing.
func (s *Store) SaveCheck(ctx context.Context, actorID int64, c *Course, r *Reading, in *Check) (*Check, error) {
	if err := in.validate(r.ParagraphCount); err != nil {
		return nil, err
	}
	var saved *Check
	err := s.tx(ctx, func(tx *gorm.DB) error {
		existing, err := loadCheck(tx, r.ID)
		if err != nil && err != ErrNotFound {
			return err
		}
		check, err := s.saveCheckRow(tx, r, existing, in)
		if err != nil {
			return err
		}
		if err := saveQuestions(tx, check, existing, in.Questions); err != nil {
			return err
		}
		if saved, err = loadCheck(tx, r.ID); err != nil {
			return err
		}
		return s.audit(tx, actorID, "check.save", readingTarget(c, r),
			fmt.Sprintf("%d questions, pass mark %d %%, %s", len(in.Questions), in.PassPercent, attemptsWord(in.MaxAttempts)))
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}

func attemptsWord(limit *int) string {
	if limit == nil {
		return "unlimited attempts"
	}
	return fmt.Sprintf("%d attempts", *limit)
}

// saveCheckRow inserts or updates the check's own settings.
func (s *Store) saveCheckRow(tx *gorm.DB, r *Reading, existing, in *Check) (*Check, error) {
	now := s.clock.Now()
	if existing == nil {
		check := &Check{ReadingID: r.ID, PassPercent: in.PassPercent, MaxAttempts: in.MaxAttempts,
			ShowAnswersAfterFail: in.ShowAnswersAfterFail, CreatedAt: now, UpdatedAt: now}
		if err := tx.Omit("Questions").Create(check).Error; err != nil {
			return nil, fmt.Errorf("store: unable to create check: %w", err)
		}
		return check, nil
	}
	err := tx.Model(&Check{}).Where("id = ?", existing.ID).Updates(map[string]any{"pass_percent": in.PassPercent,
		"max_attempts": in.MaxAttempts, "show_answers_after_fail": in.ShowAnswersAfterFail, "updated_at": now}).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to update check: %w", err)
	}
	return existing, nil
}

// saveQuestions writes the questions in order, keeping the ids it knows.
func saveQuestions(tx *gorm.DB, check, existing *Check, questions []Question) error {
	kept := map[int64]bool{}
	for i := range questions {
		q := questions[i]
		q.CheckID, q.Position = check.ID, i+1
		var old *Question
		if existing != nil && q.ID != 0 {
			old = existing.Question(q.ID)
		}
		if old == nil {
			q.ID = 0
			if err := tx.Omit("Options").Create(&q).Error; err != nil {
				return fmt.Errorf("store: unable to add question: %w", err)
			}
		} else {
			err := tx.Model(&Question{}).Where("id = ?", q.ID).Updates(map[string]any{"position": q.Position,
				"prompt": q.Prompt, "kind": q.Kind, "paragraph": q.Paragraph}).Error
			if err != nil {
				return fmt.Errorf("store: unable to update question: %w", err)
			}
		}
		kept[q.ID] = true
		if err := saveOptions(tx, &q, old); err != nil {
			return err
		}
	}
	if existing == nil {
		return nil
	}
	for _, q := range existing.Questions {
		if !kept[q.ID] {
			if err := tx.Delete(&Question{}, q.ID).Error; err != nil {
				return fmt.Errorf("store: unable to remove question: %w", err)
			}
		}
	}
	return nil
}

// saveOptions writes a question's options in order, keeping the ids of the
// ones old already had.
func saveOptions(tx *gorm.DB, q, old *Question) error {
	known := map[int64]bool{}
	if old != nil {
		for _, o := range old.Options {
			known[o.ID] = true
		}
	}
	kept := map[int64]bool{}
	for j := range q.Options {
		o := q.Options[j]
		o.QuestionID, o.Position = q.ID, j+1
		if !known[o.ID] {
			o.ID = 0
			if err := tx.Create(&o).Error; err != nil {
				return fmt.Errorf("store: unable to add option: %w", err)
			}
		} else {
			err := tx.Model(&Option{}).Where("id = ?", o.ID).Updates(map[string]any{"position": o.Position,
				"body": o.Body, "correct": o.Correct, "feedback": o.Feedback}).Error
			if err != nil {
				return fmt.Errorf("store: unable to update option: %w", err)
			}
		}
		kept[o.ID] = true
	}
	for id := range known {
		if !kept[id] {
			if err := tx.Delete(&Option{}, id).Error; err != nil {
				return fmt.Errorf("store: unable to remove option: %w", err)
			}
		}
	}
	return nil
}

// DeleteCheck removes a reading's check that nobody has attempted yet (the
// attempts are kept as evidence, so a check with attempts stays: edit it
// instead).
func (s *Store) DeleteCheck(ctx context.Context, actorID int64, c *Course, r *Reading) error {
	return s.tx(ctx, func(tx *gorm.DB) error {
		res := tx.Exec(`DELETE FROM checks WHERE reading_id = ?
  AND NOT EXISTS (SELECT 1 FROM check_attempts a WHERE a.check_id = checks.id)`, r.ID)
		if res.Error != nil {
			return fmt.Errorf("store: unable to delete check: %w", res.Error)
		}
		if res.RowsAffected == 0 {
			if _, err := loadCheck(tx, r.ID); err != nil {
				return err
			}
			return ErrCheckHasAttempts
		}
		return s.audit(tx, actorID, "check.delete", readingTarget(c, r), "")
	})
}
