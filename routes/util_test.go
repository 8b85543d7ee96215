package routes_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
)

func newJSONRequest(method, path, body string) *http.Request {
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	return req
}
