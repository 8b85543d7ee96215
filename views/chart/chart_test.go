package chart_test

import (
	"encoding/xml"
	"html/template"
	"strings"
	"testing"

	"courseportal/views/chart"
)

// node is a parsed SVG element, enough to read titles and attributes.
type node struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Content  string     `xml:",chardata"`
	Children []node     `xml:",any"`
}

func (n *node) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

// walk visits n and its descendants.
func (n *node) walk(fn func(*node)) {
	fn(n)
	for i := range n.Children {
		n.Children[i].walk(fn)
	}
}

// parse reads an SVG strictly, failing the test when it is not well formed.
func parse(t *testing.T, out template.HTML) *node {
	t.Helper()
	var root node
	d := xml.NewDecoder(strings.NewReader(string(out)))
	d.Strict = true
	if err := d.Decode(&root); err != nil {
		t.Fatalf("not well-formed SVG: %v\n%s", err, out)
	}
	if root.XMLName.Local != "svg" || root.attr("role") != "img" {
		t.Fatalf("root is %s role=%q, want <svg role=\"img\">", root.XMLName.Local, root.attr("role"))
	}
	return &root
}

// named checks the title and desc and that aria-labelledby names them.
func named(t *testing.T, root *node, title, desc string) {
	t.Helper()
	if len(root.Children) < 2 || root.Children[0].XMLName.Local != "title" || root.Children[1].XMLName.Local != "desc" {
		t.Fatal("the SVG does not open with <title> and <desc>")
	}
	if got := root.Children[0].Content; got != title {
		t.Errorf("title = %q, want %q", got, title)
	}
	if got := root.Children[1].Content; got != desc {
		t.Errorf("desc = %q, want %q", got, desc)
	}
	want := root.Children[0].attr("id") + " " + root.Children[1].attr("id")
	if got := root.attr("aria-labelledby"); got != want {
		t.Errorf("aria-labelledby = %q, want %q", got, want)
	}
}

// pointTitles lists the titles of the focusable points, in order.
func pointTitles(root *node) []string {
	var out []string
	root.walk(func(n *node) {
		if n.attr("tabindex") == "0" && len(n.Children) > 0 && n.Children[0].XMLName.Local == "title" {
			out = append(out, n.Children[0].Content)
		}
	})
	return out
}

func sample() chart.Chart {
	return chart.Chart{ID: "drop", Title: "Where readers stop <script>", Desc: `Share who reached each paragraph & "why"`,
		Unit: " %", Max: 100, Points: []chart.Point{
			{Label: "p-1", Value: 100, Display: "100 %", Note: "The first words"},
			{Label: "p-2", Value: 60, Display: "60 %", Note: "<b>bold</b> & more"},
			{Label: "p-3", Value: 20, Display: "20 %"},
		}}
}

func TestChartsAreNamedAndCarryTheirValues(t *testing.T) {
	want := []string{"p-1: 100 % — The first words", "p-2: 60 % — <b>bold</b> & more", "p-3: 20 %"}
	for name, out := range map[string]template.HTML{
		"columns": chart.Columns(sample(), []chart.Mark{{At: 1, Label: "The power-sharing proposal"}}),
		"line":    chart.Line(sample()),
		"bars":    chart.Bars(sample()),
	} {
		t.Run(name, func(t *testing.T) {
			root := parse(t, out)
			named(t, root, "Where readers stop <script>", `Share who reached each paragraph & "why"`)
			if got := pointTitles(root); strings.Join(got, "|") != strings.Join(want, "|") {
				t.Errorf("point titles = %q, want %q", got, want)
			}
			if strings.Contains(string(out), "<b>") || strings.Contains(string(out), "<script>") {
				t.Error("text was not escaped")
			}
		})
	}
}

func TestColumnsScaleToTheMaximumAndMarkSections(t *testing.T) {
	root := parse(t, chart.Columns(sample(), []chart.Mark{{At: 1, Label: "The power-sharing proposal"}}))
	var heights []string
	var marks []string
	root.walk(func(n *node) {
		if n.attr("class") == "chart-bar" {
			heights = append(heights, n.attr("height"))
		}
		if n.attr("class") == "chart-mark-label" {
			marks = append(marks, n.Content)
		}
	})
	// The plot is 180 units high: 100 % fills it, 60 % is 108, 20 % is 36.
	if strings.Join(heights, ",") != "180,108,36" {
		t.Errorf("column heights = %v, want 180,108,36", heights)
	}
	if len(marks) != 1 || marks[0] != "The power-sharing proposal" {
		t.Errorf("marks = %q", marks)
	}
}

func TestBarsWidthIsProportional(t *testing.T) {
	c := chart.Chart{ID: "funnel", Title: "Funnel", Desc: "Steps", Points: []chart.Point{
		{Label: "Joined", Value: 10, Display: "10"}, {Label: "Opened", Value: 5, Display: "5"}, {Label: "None", Value: 0, Display: "0"}}}
	root := parse(t, chart.Bars(c))
	var widths []string
	root.walk(func(n *node) {
		if n.attr("class") == "chart-bar" {
			widths = append(widths, n.attr("width"))
		}
	})
	if strings.Join(widths, ",") != "282,141,0" {
		t.Errorf("bar widths = %v, want 282,141,0", widths)
	}
}

func TestEmptyChartsStayValid(t *testing.T) {
	c := chart.Chart{ID: "empty", Title: "Nothing yet", Desc: "No data"}
	for _, out := range []template.HTML{chart.Columns(c, nil), chart.Line(c), chart.Bars(c)} {
		root := parse(t, out)
		named(t, root, "Nothing yet", "No data")
		if len(pointTitles(root)) != 0 {
			t.Error("an empty chart has points")
		}
	}
}
