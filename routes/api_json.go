package routes

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"
)

// decodeJSON reads a JSON object body into dst, with clear 4xx errors for
// anything malformed.
func decodeJSON(c *fiber.Ctx, dst any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return errStatus(http.StatusUnsupportedMediaType, "unsupported_media_type", "Send the body as application/json.")
	}
	body := c.Body()
	if !utf8.Valid(body) {
		return errBadRequest("The body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return &httpError{Status: http.StatusUnprocessableEntity, Code: "invalid_field", Field: typeErr.Field,
				Message: fmt.Sprintf("%s must be a %s.", typeErr.Field, typeErr.Type.String())}
		}
		if errors.Is(err, io.EOF) {
			return errBadRequest("The body is empty; send a JSON object.")
		}
		return errBadRequest("The body is not valid JSON.")
	}
	if dec.More() {
		return errBadRequest("The body must hold a single JSON object.")
	}
	return nil
}
