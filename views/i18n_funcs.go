package views

import "html/template"

// trustedMessage renders a catalogue message that carries markup (the
// catalogue is the portal's own text): string values are escaped, values
// already HTML (like bdi's) go in as they are.
func trustedMessage(t func(string, ...any) string, id string, pairs []any) template.HTML {
	safe := make([]any, len(pairs))
	for i, v := range pairs {
		switch v := v.(type) {
		case template.HTML:
			safe[i] = string(v)
		case template.URL:
			safe[i] = template.HTMLEscapeString(string(v))
		case string:
			if i%2 == 1 {
				safe[i] = template.HTMLEscapeString(v)
			} else {
				safe[i] = v
			}
		default:
			safe[i] = v
		}
	}
	return template.HTML(t(id, safe...)) //nolint:gosec // the message is the portal's own; values are escaped above
}

// bdi isolates user text (a name, a title) inside a sentence, so a
// right-to-left name never reorders the words around it.
func bdi(s string) template.HTML {
	return template.HTML("<bdi>" + template.HTMLEscapeString(s) + "</bdi>") //nolint:gosec // escaped
}
