package models

import (
	"encoding/base64"
	"encoding/json"
	"strconv"
	"time"
)

// rosterCursor marks a row of a sorted roster: its sort key and id. It is
// bound to the sort it was made for.
type rosterCursor struct {
	Sort string `json:"s"`
	Desc bool   `json:"d,omitempty"`
	Key  string `json:"k"`
	ID   int64  `json:"i"`
	// value is Key in the type the database compares.
	value any
}

func (c *rosterCursor) encode() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

// errBadCursor is what any malformed or foreign cursor gets.
var errBadCursor = Invalid("cursor", "The page link is invalid or belongs to another sort order; start again from the first page.")

// decodeRosterCursor reads a cursor made for the same sort and direction.
func decodeRosterCursor(raw, sort string, desc bool) (*rosterCursor, error) {
	if len(raw) > 1024 {
		return nil, errBadCursor
	}
	b, err := base64.RawURLEncoding.DecodeString(raw)
	if err != nil {
		return nil, errBadCursor
	}
	var c rosterCursor
	if err := json.Unmarshal(b, &c); err != nil || c.Sort != sort || c.Desc != desc || c.ID < 1 {
		return nil, errBadCursor
	}
	switch sort {
	case "percent":
		n, err := strconv.Atoi(c.Key)
		if err != nil || n < 0 || n > 100 {
			return nil, errBadCursor
		}
		c.value = n
	case "last_activity", "completed_at":
		t, err := time.Parse(time.RFC3339Nano, c.Key)
		if err != nil {
			return nil, errBadCursor
		}
		c.value = t.UTC()
	default:
		c.value = c.Key
	}
	return &c, nil
}

// cursorFor makes the cursor of a row under the query's sort; a text sort
// keeps the sort text as the database compared it.
func (q *rosterQuery) cursorFor(r *RosterRow, sortText string) *rosterCursor {
	c := &rosterCursor{Sort: q.f.Sort, Desc: q.f.Desc, ID: r.EnrollmentID}
	switch q.f.Sort {
	case "percent":
		c.Key = strconv.Itoa(r.Percent)
	case "last_activity":
		c.Key = timeKey(r.LastActivityAt)
	case "completed_at":
		c.Key = timeKey(r.CompletedAt)
	default:
		c.Key = sortText
	}
	return c
}

func timeKey(t *time.Time) string {
	if t == nil {
		return nullTime.Format(time.RFC3339Nano)
	}
	return t.UTC().Format(time.RFC3339Nano)
}
