package testdb

import (
	"context"
	"strings"
	"testing"
	"time"

	"courseportal/models"
)

// InsightBody is a reading of six paragraphs in three sections ("Opening",
// "Middle", "The power-sharing proposal"), of 10, 10, 20, 10, 10 and 10
// words.
var InsightBody = strings.Join([]string{
	words("One", 10), words("Two", 10),
	"## Middle", words("Three", 20), words("Four", 10),
	"## The power-sharing proposal", words("Five", 10), words("Six", 10),
}, "\n\n")

func words(first string, n int) string { return first + strings.Repeat(" word", n-1) }

// SeedInsight gives reading 1 of a new class (NewClass, self-paced) the
// text InsightBody and has five students read it, an hour after the start:
//
//	         furthest  seconds  notes
//	ada      p-6       120      percent 90, not completed
//	ben      p-4       60       active again in the second week
//	cyd      p-2       30
//	dee      p-6       240      completed on day 2
//	eve      —         0        opened it, never scrolled
//
// The clock ends on day 9, in the cohort's second week (Start is a Monday).
// It returns the reading.
func (c *Class) SeedInsight(t testing.TB) *models.Reading {
	t.Helper()
	r := &c.Course.Weeks[0].Readings[0]
	r.BodyMarkdown = InsightBody
	if err := c.Store.SaveReading(context.Background(), r); err != nil {
		t.Fatal(err)
	}
	c.Clock.Advance(time.Hour)
	for _, name := range []string{"ada", "ben", "cyd", "dee", "eve"} {
		c.Enroll(t, name)
	}
	c.Beat(t, "ada", 50, "p-3", 30)
	c.Beat(t, "ben", 50, "p-4", 30)
	c.Beat(t, "cyd", 20, "p-2", 30)
	c.Beat(t, "dee", 50, "p-3", 30)
	if err := c.Store.NoteOpened(context.Background(), c.Access(t, "eve", 1)); err != nil {
		t.Fatal(err)
	}
	c.Clock.Advance(90 * time.Second)
	c.Beat(t, "ada", 90, "p-6", 90)
	c.Beat(t, "ben", 60, "p-4", 30)
	c.Clock.Advance(3 * time.Minute)
	c.Beat(t, "dee", 95, "p-6", 210)
	c.Clock.Advance(2 * Day)
	c.Complete(t, "dee", 1)
	c.Clock.Advance(7 * Day)
	c.Beat(t, "ben", 60, "p-4", 0)
	return r
}

// Beat records one progress report of the named student on reading 1.
func (c *Class) Beat(t testing.TB, name string, percent int, position string, seconds int) {
	t.Helper()
	_, err := c.Store.RecordProgress(context.Background(), c.Access(t, name, 1),
		models.ProgressUpdate{Percent: percent, Position: position, Seconds: seconds})
	if err != nil {
		t.Fatalf("%s reads: %v", name, err)
	}
}
