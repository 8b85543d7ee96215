package routes

import "courseportal/views"

// markup is the insight pages' writer: views.Markup, with the pages' own
// helpers (labels, table heads, rows) as its methods.
type markup struct{ *views.Markup }

func newMarkup() markup { return markup{views.NewMarkup()} }
