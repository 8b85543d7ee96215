package routes

import (
	"net/url"
	"strconv"
	"strings"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// rosterParams is the roster's query string, parsed and checked apart from
// the handlers: the filter, and the link it came from.
type rosterParams struct {
	Filter models.RosterFilter
}

// parseRosterParams reads cohort, status, show, days, sort, dir, limit,
// after and before. Malformed numbers are a 400; values outside their
// allow-lists a 422 (from the store's Normalize), never a 500.
func parseRosterParams(c *fiber.Ctx) (rosterParams, error) {
	var f models.RosterFilter
	var err error
	if f.CohortID, err = queryInt(c, "cohort", "The cohort must be a cohort number."); err != nil {
		return rosterParams{}, err
	}
	days, err := queryInt(c, "days", "Days without activity must be a whole number.")
	if err != nil {
		return rosterParams{}, err
	}
	limit, err := queryInt(c, "limit", "The page size must be a whole number.")
	if err != nil {
		return rosterParams{}, err
	}
	// Absent means the default, but an explicit 0 is a mistake.
	if days == 0 && c.Query("days") != "" {
		return rosterParams{}, models.Invalid("days", "Days without activity must be at least 1.")
	}
	if limit == 0 && c.Query("limit") != "" {
		return rosterParams{}, models.Invalid("limit", "The page size must be at least 1.")
	}
	f.InactiveDays, f.Limit = int(days), int(limit)
	f.Status, f.Segment, f.Sort = c.Query("status"), c.Query("show"), c.Query("sort")
	f.After, f.Before = c.Query("after"), c.Query("before")
	switch c.Query("dir") {
	case "", "asc":
	case "desc":
		f.Desc = true
	default:
		return rosterParams{}, models.Invalid("dir", "The sort direction must be asc or desc.")
	}
	if err := f.Normalize(); err != nil {
		return rosterParams{}, err
	}
	return rosterParams{Filter: f}, nil
}

// queryInt reads an optional non-negative whole number; absent is 0.
func queryInt(c *fiber.Ctx, name, message string) (int64, error) {
	raw := strings.TrimSpace(c.Query(name))
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || n < 0 {
		return 0, errBadRequest(message)
	}
	return n, nil
}

// values is the filter as a query string, leaving out defaults and the
// cursor; set overrides (an empty value removes the key).
func (p rosterParams) values(set ...string) url.Values {
	f := p.Filter
	v := url.Values{}
	if f.CohortID != 0 {
		v.Set("cohort", strconv.FormatInt(f.CohortID, 10))
	}
	if f.Status != models.RosterStatusLive {
		v.Set("status", f.Status)
	}
	if f.Segment != models.RosterSegmentAll {
		v.Set("show", f.Segment)
	}
	if f.InactiveDays != models.DefaultInactiveDays {
		v.Set("days", strconv.Itoa(f.InactiveDays))
	}
	if f.Sort != "name" {
		v.Set("sort", f.Sort)
	}
	if f.Desc {
		v.Set("dir", "desc")
	}
	if f.Limit != models.DefaultRosterLimit {
		v.Set("limit", strconv.Itoa(f.Limit))
	}
	for i := 0; i+1 < len(set); i += 2 {
		if set[i+1] == "" {
			v.Del(set[i])
		} else {
			v.Set(set[i], set[i+1])
		}
	}
	return v
}

// Link is path with the filter's query string.
func (p rosterParams) Link(path string, set ...string) string {
	if q := p.values(set...).Encode(); q != "" {
		return path + "?" + q
	}
	return path
}
