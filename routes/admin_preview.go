package routes

import (
	"html/template"
	"net/http"
	"strings"

	"courseportal/models/markdown"

	"github.com/gofiber/fiber/v2"
)

// emptyPreview is what the preview shows before anything is typed.
const emptyPreview = template.HTML(`<p class="muted">The preview appears here as you type.</p>`)

// renderPreview renders Markdown exactly as the reader will: same
// converter, same sanitiser.
func renderPreview(source string) (template.HTML, error) {
	if strings.TrimSpace(source) == "" {
		return emptyPreview, nil
	}
	doc, err := markdown.Render(source)
	if err != nil {
		return "", errStatus(http.StatusUnprocessableEntity, "invalid_field", "The text is too long to preview (512 KB at most).")
	}
	return doc.HTML, nil
}

// adminPreview answers the editor's script with the rendered, sanitised HTML
// fragment of the Markdown in body_markdown.
func (h *handler) adminPreview(c *fiber.Ctx) error {
	if err := requireForm(c); err != nil {
		return err
	}
	html, err := renderPreview(formText(c.FormValue("body_markdown")))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	return c.SendString(string(html))
}
