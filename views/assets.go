package views

//go:generate go run ./internal/precompress static

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"path"
	"strings"
)

// Precompressed lists the content codings kept beside compressible static
// files (app.css.br, app.css.gz), written by go generate, best first.
var Precompressed = []Coding{{Name: "br", Ext: ".br"}, {Name: "gzip", Ext: ".gz"}}

// Coding is a content coding and the file extension of its copies.
type Coding struct {
	Name string // as in Content-Encoding
	Ext  string
}

// Assets maps static files to fingerprinted URLs, so they can be cached for a
// year and still change on every release that edits them.
type Assets struct {
	byName map[string]string      // "css/app.css" → "/static/css/app.3f9a1c2b.css"
	byURL  map[string]*StaticFile // the reverse, with the content
}

// StaticFile is one fingerprinted file, with its precompressed copies.
type StaticFile struct {
	ContentType string
	// Tag identifies the content (an ETag adds the coding to it).
	Tag    string
	bodies map[string][]byte // by content coding; "identity" is the file itself
}

// Body returns the file in a content coding ("identity" for as it is).
func (f *StaticFile) Body(coding string) ([]byte, bool) {
	b, ok := f.bodies[coding]
	return b, ok
}

func newAssets() (*Assets, error) {
	a := &Assets{byName: map[string]string{}, byURL: map[string]*StaticFile{}}
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || isCompressedCopy(p) {
			return err
		}
		f, err := readStaticFile(p)
		if err != nil {
			return err
		}
		name := strings.TrimPrefix(p, "static/")
		ext := path.Ext(name)
		url := "/static/" + strings.TrimSuffix(name, ext) + "." + f.Tag[:10] + ext
		a.byName[name] = url
		a.byURL[url] = f
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("views: unable to read static files: %w", err)
	}
	return a, nil
}

func isCompressedCopy(p string) bool {
	for _, c := range Precompressed {
		if strings.HasSuffix(p, c.Ext) {
			return true
		}
	}
	return false
}

// readStaticFile reads a file and whichever compressed copies sit beside it.
func readStaticFile(p string) (*StaticFile, error) {
	body, err := files.ReadFile(p)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	ctype := mime.TypeByExtension(path.Ext(p))
	if ctype == "" {
		ctype = "application/octet-stream"
	}
	f := &StaticFile{ContentType: ctype, Tag: hex.EncodeToString(sum[:8]), bodies: map[string][]byte{"identity": body}}
	for _, c := range Precompressed {
		if copied, err := files.ReadFile(p + c.Ext); err == nil {
			f.bodies[c.Name] = copied
		}
	}
	return f, nil
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
func (a *Assets) Lookup(urlPath string) (*StaticFile, bool) {
	f, ok := a.byURL[urlPath]
	return f, ok
}
