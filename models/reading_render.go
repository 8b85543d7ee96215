package models

import (
	"context"
	"fmt"
	"sync"

	"courseportal/models/markdown"
)

// renderCache keeps each reading rendered once per version: Markdown is
// parsed and sanitised on the first view, not on every request.
type renderCache struct {
	mu   sync.RWMutex
	docs map[int64]cachedDoc
}

type cachedDoc struct {
	version int
	doc     markdown.Document
}

func newRenderCache() *renderCache { return &renderCache{docs: map[int64]cachedDoc{}} }

// RenderedReading returns the rendered document of a reading, loading its
// text only on a cache miss.
func (s *Store) RenderedReading(ctx context.Context, r *Reading) (markdown.Document, error) {
	rc := s.renders
	rc.mu.RLock()
	cached, ok := rc.docs[r.ID]
	rc.mu.RUnlock()
	if ok && cached.version == r.Version {
		return cached.doc, nil
	}
	body, err := s.readingBody(ctx, r.ID)
	if err != nil {
		return markdown.Document{}, err
	}
	doc, err := markdown.Render(body)
	if err != nil {
		return markdown.Document{}, err
	}
	rc.mu.Lock()
	rc.docs[r.ID] = cachedDoc{version: r.Version, doc: doc}
	rc.mu.Unlock()
	return doc, nil
}

// readingBody loads the Markdown of a reading, for rendering on a cache miss.
func (s *Store) readingBody(ctx context.Context, readingID int64) (string, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	var body string
	if err := db.Raw("SELECT body_markdown FROM readings WHERE id = ?", readingID).Scan(&body).Error; err != nil {
		return "", fmt.Errorf("store: unable to load reading text: %w", err)
	}
	return body, nil
}
