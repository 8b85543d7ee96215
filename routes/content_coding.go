package routes

import (
	"strconv"
	"strings"
)

// maxAcceptEncodingItems bounds how much of an Accept-Encoding header is read.
const maxAcceptEncodingItems = 16

// negotiateCoding picks the content coding to send (RFC 9110, 12.5.3): of
// the offered codings (best first) and "identity", the one the request's
// Accept-Encoding gives the highest q-value; a tie goes to the earlier
// offered coding, and identity comes last. Without the header, or when the
// header refuses everything, the answer is "identity": the file as it is.
func negotiateCoding(header string, offered []string) string {
	quality := map[string]float64{}
	for i, item := range strings.Split(header, ",") {
		if i == maxAcceptEncodingItems {
			break
		}
		name, q := parseCodingItem(item)
		if name != "" {
			quality[name] = q
		}
	}
	qualityOf := func(name string) float64 {
		if q, ok := quality[name]; ok {
			return q
		}
		if q, ok := quality["*"]; ok {
			return q
		}
		if name == "identity" {
			return 0.001 // acceptable unless refused, but any listed coding wins
		}
		return 0
	}
	best, bestQ := "identity", 0.0
	for _, name := range append(append([]string{}, offered...), "identity") {
		if q := qualityOf(name); q > bestQ {
			best, bestQ = name, q
		}
	}
	return best
}

// parseCodingItem reads one "gzip;q=0.8" item; a bad q-value refuses it.
func parseCodingItem(item string) (string, float64) {
	name, params, _ := strings.Cut(item, ";")
	name = strings.ToLower(strings.TrimSpace(name))
	q := 1.0
	for _, p := range strings.Split(params, ";") {
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
