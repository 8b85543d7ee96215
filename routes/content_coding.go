package routes

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// maxAcceptEncodingItems bounds how much of an Accept-Encoding header is read.
const maxAcceptEncodingItems = 16

// negotiateCoding picks the content coding to send (RFC 9110, 12.5.3): of
// the offered codings (best first) and "identity", the one the request's
// Accept-Encoding gives the highest q-value; a tie goes to the earlier
// offered coding, and identity comes last. Without the header, or when the
// header refuses everything, the answer is "identity": the file as it is.
// It allocates nothing: the reader page asks on every view.
func negotiateCoding(header string, offered []string) string {
	best, bestQ := "identity", 0.0
	for _, name := range offered {
		if q := codingQuality(header, name); q > bestQ {
			best, bestQ = name, q
		}
	}
	if codingQuality(header, "identity") > bestQ {
		best = "identity"
	}
	return best
}

// codingQuality is the q-value the header gives a coding: its own item's
// (the last one when named twice), else the "*" item's; identity not named
// is acceptable unless refused, but any listed coding wins over it.
func codingQuality(header, coding string) float64 {
	q, named, star, starred := 0.0, false, 0.0, false
	i := 0
	for item := range strings.SplitSeq(header, ",") {
		if i == maxAcceptEncodingItems {
			break
		}
		i++
		name, itemQ := parseCodingItem(item)
		switch {
		case name == "":
		case strings.EqualFold(name, coding):
			q, named = itemQ, true
		case name == "*":
			star, starred = itemQ, true
		}
	}
	switch {
	case named:
		return q
	case starred:
		return star
	case coding == "identity":
		return 0.001
	}
	return 0
}

// parseCodingItem reads one "gzip;q=0.8" item, its name as written; a bad
// q-value refuses it.
func parseCodingItem(item string) (string, float64) {
	name, params, _ := strings.Cut(item, ";")
	name = strings.TrimSpace(name)
	q := 1.0
	for p := range strings.SplitSeq(params, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "q") {
			continue
		}
		parsed, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || parsed < 0 || parsed > 1 {
			return name, 0
		}
		q = parsed
	}
	return name, q
}

// readerPattern is the reader page's route, split as matchPath takes it.
var readerPattern = strings.Split("/learn/:slug/readings/:reading", "/")

// codesItself reports whether a request's answer picks its own content
// coding, which the compress middleware then leaves as it is: static files
// (compressed at build time) and the reader page (its article compressed
// once, reader_gzip.go), which send the file or page as it is when the
// request's Accept-Encoding refuses their codings. Routes ignore case.
func codesItself(c *fiber.Ctx) bool {
	return staticPath(c) || matchPath(readerPattern, routePath(strings.ToLower(c.Path())))
}

// compressCodings are the codings the compress middleware can send, in the
// order it prefers them.
var compressCodings = []string{"br", "gzip", "deflate"}

// negotiateForCompress leaves the compress middleware one coding to read in
// Accept-Encoding: the one negotiateCoding picks, or none for identity.
// That middleware reads the header with fasthttp's own matching, which
// does not weigh q-values against each other and misses a coding named in
// capitals ("GZIP;q=0.8" got nothing).
func negotiateForCompress(c *fiber.Ctx) error {
	header := c.Get(fiber.HeaderAcceptEncoding)
	if header == "" || codesItself(c) {
		return c.Next()
	}
	coding := negotiateCoding(header, compressCodings)
	if coding == "identity" {
		c.Request().Header.Del(fiber.HeaderAcceptEncoding)
	} else {
		c.Request().Header.Set(fiber.HeaderAcceptEncoding, coding)
	}
	return c.Next()
}
