package routes

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
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
	// BodyRaw, not Body: Body would inflate a Content-Encoding without bound.
	body := c.BodyRaw()
	if !utf8.Valid(body) {
		return errBadRequest("The body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(dst); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			if typeErr.Field == "" {
				return errBadRequest("The body must be a JSON object.")
			}
			return &httpError{Status: http.StatusUnprocessableEntity, Code: "invalid_field", Field: typeErr.Field,
				Message: fmt.Sprintf("%s must be %s.", typeErr.Field, jsonKind(typeErr.Type))}
		}
		if errors.Is(err, io.EOF) {
			return errBadRequest("The body is empty; send a JSON object.")
		}
		return errBadRequest("The body is not valid JSON.")
	}
	// More would miss a stray closing bracket; anything but space after the
	// object is refused.
	if len(bytes.TrimSpace(body[dec.InputOffset():])) > 0 {
		return errBadRequest("The body must hold a single JSON object.")
	}
	return nil
}

// jsonKind names, in plain words, the kind of JSON value a Go type is read
// from, for messages: never the Go type itself.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return jsonKind(t.Elem())
	case reflect.String:
		return "text in quotes"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number in range"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice, reflect.Array:
		return "a list"
	case reflect.Struct, reflect.Map:
		return "an object"
	}
	return "a value of another kind"
}
