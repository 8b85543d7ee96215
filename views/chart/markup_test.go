package chart_test

import (
	"flag"
	"html/template"
	"os"
	"path/filepath"
	"testing"

	"courseportal/views/chart"
)

// updateSVG rewrites the recorded charts from what the package draws now:
// go test ./views/chart -run TestChartsKeepTheirMarkup -update-svg.
var updateSVG = flag.Bool("update-svg", false, "record the charts' SVG in testdata")

// TestChartsKeepTheirMarkup draws each shape for a few fixed charts (shares
// with marks and notes to escape, counts on a rounded axis, many points with
// few labels, none) and compares the SVG with what was recorded in testdata.
func TestChartsKeepTheirMarkup(t *testing.T) {
	counts := chart.Chart{ID: "counts", Title: "Funnel", Desc: "Steps", Max: 3, Points: []chart.Point{
		{Label: "Joined the cohort on the first day of the course", Value: 3, Display: "3"},
		{Label: "Opened", Value: 2, Display: "2"}, {Label: "None", Value: 0, Display: "0"}}}
	var many chart.Chart
	many.ID, many.Title, many.Desc, many.Max, many.Unit = "many", "Days", "Every day", 100, " %"
	for i := range 37 {
		many.Points = append(many.Points, chart.Point{Label: "day " + string(rune('a'+i%26)), Value: float64(i*37%101) / 3,
			Display: "x", Note: "A note that is longer than the chart is wide, so that it is clipped somewhere"})
	}
	marks := []chart.Mark{{At: 1, Label: "The power-sharing proposal"}, {At: 20, Label: "A heading far longer than a mark's label may be"}}
	empty := chart.Chart{ID: "empty", Title: "Nothing yet", Desc: "No data"}
	for name, out := range map[string]template.HTML{
		"columns": chart.Columns(sample(), marks[:1]), "columns-counts": chart.Columns(counts, nil),
		"columns-many": chart.Columns(many, marks), "columns-empty": chart.Columns(empty, nil),
		"line": chart.Line(sample()), "line-counts": chart.Line(counts), "line-many": chart.Line(many),
		"line-empty": chart.Line(empty), "bars": chart.Bars(sample()), "bars-counts": chart.Bars(counts),
		"bars-empty": chart.Bars(empty),
	} {
		file := filepath.Join("testdata", name+".svg")
		if *updateSVG {
			if err := os.MkdirAll("testdata", 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, []byte(out), 0o644); err != nil { //nolint:gosec // a test's recording, read by people
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if string(out) != string(want) {
			t.Errorf("%s differs from %s:\n got %s\nwant %s", name, file, out, want)
		}
	}
}
