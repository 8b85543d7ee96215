// Command precompress writes a gzip (.gz) and a brotli (.br) copy beside
// every compressible static file, at the strongest level of each, so the
// server sends them as they are instead of compressing on every request.
// It runs from views/assets.go with go generate; a test checks the copies
// still match their sources.
//
//	go run ./internal/precompress static
package main

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/andybalholm/brotli"
)

// compressible are the kinds of static file worth compressing; images are
// compressed already.
var compressible = map[string]bool{".css": true, ".js": true, ".svg": true}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: precompress DIR")
		os.Exit(2)
	}
	if err := compressTree(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, "precompress:", err)
		os.Exit(1)
	}
}

func compressTree(root string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compressible[strings.ToLower(filepath.Ext(p))] {
			return err
		}
		source, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		gz, err := gzipped(source)
		if err != nil {
			return fmt.Errorf("gzip %s: %w", p, err)
		}
		br, err := brotlied(source)
		if err != nil {
			return fmt.Errorf("brotli %s: %w", p, err)
		}
		if err := writeIfChanged(p+".gz", gz); err != nil {
			return err
		}
		return writeIfChanged(p+".br", br)
	})
}

func gzipped(source []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(source); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func brotlied(source []byte) ([]byte, error) {
	var buf bytes.Buffer
	w := brotli.NewWriterLevel(&buf, brotli.BestCompression)
	if _, err := w.Write(source); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// writeIfChanged leaves an identical file alone, so regenerating touches
// nothing that did not change.
func writeIfChanged(name string, body []byte) error {
	if old, err := os.ReadFile(name); err == nil && bytes.Equal(old, body) {
		return nil
	}
	return os.WriteFile(name, body, 0o644)
}
