package models

import "testing"

// A roster cursor from the query string is refused cleanly or read as a
// cursor of the same sort, which encodes back to a cursor that reads the same.
func FuzzRosterCursor(f *testing.F) {
	sorts := []string{"name", "percent", "last_activity", "completed_at", "email"}
	f.Fuzz(func(t *testing.T, raw string, sortIndex uint8, desc bool) {
		sort := sorts[int(sortIndex)%len(sorts)]
		c, err := decodeRosterCursor(raw, sort, desc)
		if err != nil {
			if err != errBadCursor {
				t.Fatalf("cursor %q: %v, want the bad-cursor error", raw, err)
			}
			return
		}
		if c.Sort != sort || c.Desc != desc || c.ID < 1 || c.value == nil {
			t.Fatalf("cursor %q read as %+v for sort %s desc %v", raw, c, sort, desc)
		}
		again, err := decodeRosterCursor(c.encode(), sort, desc)
		if err != nil || again.Key != c.Key || again.ID != c.ID {
			t.Fatalf("cursor %q re-encoded reads as %+v (%v), want %+v", raw, again, err, c)
		}
	})
}
