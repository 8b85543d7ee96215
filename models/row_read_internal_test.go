package models

import "testing"

func TestQualifiedPutsTheAliasBeforeEachColumn(t *testing.T) {
	if got := qualified("co", "id, name, starts_at"); got != "co.id, co.name, co.starts_at" {
		t.Errorf("qualified = %q", got)
	}
	if got := qualified("q", "id"); got != "q.id" {
		t.Errorf("qualified one column = %q", got)
	}
}
