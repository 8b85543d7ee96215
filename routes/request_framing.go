package routes

import (
	"bytes"
	"net/http"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// refuseUnsafeBodies runs before anything reads a request body. It refuses
// what the portal never needs and what would let a small request cost much
// more than the body limit, or be framed two ways:
//   - a Content-Encoding other than identity: Fiber and fasthttp inflate
//     gzip, deflate and br bodies (even chained) without bound when a handler
//     reads them, and the body limit counts only the compressed bytes;
//   - multipart/form-data: no form of the portal takes files, so the only
//     effect of accepting it would be parsing work and temporary files (a
//     form that takes files would allow it on its own route);
//   - two Content-Length headers that disagree: fasthttp silently believes
//     the last, while a proxy in front may believe the first.
func refuseUnsafeBodies(c *fiber.Ctx) error {
	header := &c.Request().Header
	if conflictingContentLengths(header.RawHeaders()) {
		// The framing is ambiguous, so what follows on the connection is too.
		c.Context().SetConnectionClose()
		return errBadRequest("The request has two different Content-Length headers.")
	}
	encoded := false
	header.VisitAll(func(key, value []byte) {
		if bytes.EqualFold(key, []byte(fiber.HeaderContentEncoding)) && !isIdentity(value) {
			encoded = true
		}
	})
	if encoded {
		return errStatus(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"Compressed request bodies are not accepted; send the body without Content-Encoding.")
	}
	if isMultipart(c) {
		return errStatus(http.StatusUnsupportedMediaType, "unsupported_media_type",
			"multipart/form-data is not accepted; send forms as application/x-www-form-urlencoded.")
	}
	return c.Next()
}

// isIdentity reports whether a Content-Encoding value names no coding at all.
func isIdentity(value []byte) bool {
	for _, coding := range strings.Split(string(value), ",") {
		if coding = strings.TrimSpace(coding); coding != "" && !strings.EqualFold(coding, "identity") {
			return false
		}
	}
	return true
}

func isMultipart(c *fiber.Ctx) bool {
	ct := strings.TrimSpace(strings.ToLower(c.Get(fiber.HeaderContentType)))
	return strings.HasPrefix(ct, "multipart/")
}

// conflictingContentLengths reports whether the raw header block carries
// Content-Length more than once with different values; equal repeats are
// allowed (RFC 9110, section 8.6).
func conflictingContentLengths(raw []byte) bool {
	var first []byte
	seen := false
	for _, line := range bytes.Split(raw, []byte("\n")) {
		key, value, found := bytes.Cut(bytes.TrimRight(line, "\r"), []byte(":"))
		if !found || !bytes.EqualFold(bytes.TrimSpace(key), []byte(fiber.HeaderContentLength)) {
			continue
		}
		value = bytes.TrimSpace(value)
		if seen && !bytes.Equal(value, first) {
			return true
		}
		first, seen = value, true
	}
	return false
}
