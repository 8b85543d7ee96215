package views

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

// Assets maps static files to fingerprinted URLs, so they can be cached for a
// year and still change on every release that edits them.
type Assets struct {
	byName map[string]string // "css/app.css" → "/static/css/app.3f9a1c2b.css"
	byURL  map[string]asset  // the reverse, with the content
}

type asset struct {
	body        []byte
	contentType string
}

func newAssets() (*Assets, error) {
	a := &Assets{byName: map[string]string{}, byURL: map[string]asset{}}
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		sum := sha256.Sum256(body)
		ext := path.Ext(name)
		url := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		ctype := mime.TypeByExtension(ext)
		if ctype == "" {
			ctype = "application/octet-stream"
		}
		a.byName[name] = url
		a.byURL[url] = asset{body: body, contentType: ctype}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("views: unable to read static files: %w", err)
	}
	return a, nil
}

// URL returns the fingerprinted URL of a static file such as "css/app.css".
func (a *Assets) URL(name string) (string, error) {
	url, ok := a.byName[name]
	if !ok {
		return "", fmt.Errorf("views: no static file %q", name)
	}
	return url, nil
}

// Lookup finds a fingerprinted file by URL path.
func (a *Assets) Lookup(urlPath string) (body []byte, contentType string, ok bool) {
	f, ok := a.byURL[urlPath]
	return f.body, f.contentType, ok
}
