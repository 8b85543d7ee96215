// Package markdown renders readings: Markdown to sanitised HTML in which
// every paragraph carries a stable id (p-1 … p-N) for progress and resume,
// and every heading an anchor for the table of contents.
package markdown

import (
	"bytes"
	"fmt"
	"html/template"
	"regexp"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// MaxSourceBytes bounds what one reading may hold.
const MaxSourceBytes = 512 * 1024

// Heading is one entry of a reading's table of contents.
type Heading struct {
	Level int
	ID    string
	Text  string
	// After is how many paragraphs come before the heading: its section
	// starts at paragraph After+1.
	After int
}

// Document is a rendered reading.
type Document struct {
	HTML       template.HTML
	Headings   []Heading
	Words      int
	Paragraphs int
	// Openings holds the first words of each paragraph, in order: the
	// opening of p-N is Openings[N-1].
	Openings []string
	// ParagraphWords holds each paragraph's word count, in the same order.
	ParagraphWords []int
}

// openingWords is how many words of a paragraph Openings keeps.
const openingWords = 10

var (
	engine = goldmark.New(
		goldmark.WithExtensions(extension.Typographer, extension.Table, extension.Strikethrough),
		goldmark.WithParserOptions(
			parser.WithAutoHeadingID(),
			parser.WithASTTransformers(util.Prioritized(numberer{}, 100)),
		),
	)
	policy = newPolicy()
)

func newPolicy() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.AllowAttrs("id").Matching(regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,80}$`)).
		OnElements("p", "h2", "h3", "h4", "h5", "h6")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^anchor$`)).OnElements("a")
	p.AllowAttrs("aria-hidden").Matching(regexp.MustCompile(`^true$`)).OnElements("a")
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(true)
	return p
}

// Render converts Markdown into a sanitised document.
func Render(source string) (Document, error) {
	if len(source) > MaxSourceBytes {
		return Document{}, fmt.Errorf("markdown: reading is larger than %d bytes", MaxSourceBytes)
	}
	src := []byte(source)
	doc := engine.Parser().Parse(text.NewReader(src))
	var buf bytes.Buffer
	if err := engine.Renderer().Render(&buf, src, doc); err != nil {
		return Document{}, fmt.Errorf("markdown: unable to render: %w", err)
	}
	out := Document{HTML: template.HTML(policy.SanitizeBytes(buf.Bytes()))} //nolint:gosec // sanitised just above
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch node := n.(type) {
		case *ast.Paragraph:
			out.Paragraphs++
			words := countWords(string(node.Lines().Value(src)))
			out.Words += words
			out.ParagraphWords = append(out.ParagraphWords, words)
			out.Openings = append(out.Openings, opening(string(nodeText(node, src))))
		case *ast.Heading:
			id, _ := node.AttributeString("id")
			idText, _ := id.([]byte)
			out.Headings = append(out.Headings, Heading{Level: node.Level, ID: string(idText), Text: headingText(node, src),
				After: out.Paragraphs})
			out.Words += countWords(headingText(node, src))
		}
		return ast.WalkContinue, nil
	})
	return out, nil
}

// numberer gives paragraphs their p-N ids and headings a "#" anchor link.
type numberer struct{}

func (numberer) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	n := 0
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch v := node.(type) {
		case *ast.Paragraph:
			n++
			v.SetAttributeString("id", []byte(ParagraphID(n)))
		case *ast.Heading:
			if id, ok := v.AttributeString("id"); ok {
				link := ast.NewLink()
				link.Destination = append([]byte("#"), id.([]byte)...)
				link.SetAttributeString("class", []byte("anchor"))
				link.SetAttributeString("aria-hidden", []byte("true"))
				link.AppendChild(link, ast.NewString([]byte("#")))
				v.AppendChild(v, link)
			}
		}
		return ast.WalkContinue, nil
	})
}

func headingText(h *ast.Heading, src []byte) string {
	var b strings.Builder
	for c := h.FirstChild(); c != nil; c = c.NextSibling() {
		if _, isLink := c.(*ast.Link); isLink {
			continue
		}
		b.Write(nodeText(c, src))
	}
	return strings.TrimSpace(b.String())
}

func nodeText(n ast.Node, src []byte) []byte {
	if t, ok := n.(*ast.Text); ok {
		return t.Segment.Value(src)
	}
	if s, ok := n.(*ast.String); ok {
		return s.Value
	}
	var out []byte
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		out = append(out, nodeText(c, src)...)
	}
	return out
}

// opening is the first words of a paragraph's text, with "…" when cut.
func opening(text string) string {
	words := strings.Fields(text)
	if len(words) <= openingWords {
		return strings.Join(words, " ")
	}
	return strings.Join(words[:openingWords], " ") + " …"
}

func countWords(s string) int {
	return len(strings.FieldsFunc(s, unicode.IsSpace))
}
