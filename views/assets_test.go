package views

import (
	"bytes"
	"compress/gzip"
	"io"
	"io/fs"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
)

// The precompressed copies are committed beside their sources: each
// stylesheet, script and SVG has a .gz and a .br copy that decompress to it
// exactly (else run go generate ./views), and no copy is left of a file that
// is gone.
func TestPrecompressedCopiesMatchTheirSources(t *testing.T) {
	decoders := map[string]func(io.Reader) (io.Reader, error){
		".gz": func(r io.Reader) (io.Reader, error) { return gzip.NewReader(r) },
		".br": func(r io.Reader) (io.Reader, error) { return brotli.NewReader(r), nil },
	}
	checked := 0
	err := fs.WalkDir(files, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if isCompressedCopy(p) {
			if _, err := fs.Stat(files, p[:len(p)-3]); err != nil {
				t.Errorf("%s is a copy of a file that does not exist", p)
			}
			return nil
		}
		ext := p[strings.LastIndex(p, "."):]
		if ext != ".css" && ext != ".js" && ext != ".svg" {
			return nil
		}
		source, err := files.ReadFile(p)
		if err != nil {
			return err
		}
		for suffix, decode := range decoders {
			copied, err := files.ReadFile(p + suffix)
			if err != nil {
				t.Errorf("%s has no %s copy: run go generate ./views", p, suffix)
				continue
			}
			r, err := decode(bytes.NewReader(copied))
			if err != nil {
				t.Errorf("%s%s: %v", p, suffix, err)
				continue
			}
			got, err := io.ReadAll(r)
			if err != nil || !bytes.Equal(got, source) {
				t.Errorf("%s%s does not match its source (err %v): run go generate ./views", p, suffix, err)
			}
			if len(copied) >= len(source) && len(source) > 1024 {
				t.Errorf("%s%s is %d bytes, no smaller than the source's %d", p, suffix, len(copied), len(source))
			}
			checked++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 8 {
		t.Errorf("checked %d copies, want at least the stylesheet's and the scripts'", checked)
	}
}
