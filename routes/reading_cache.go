package routes

import (
	"context"
	"sync"

	"courseportal/models"
	"courseportal/models/markdown"
)

// readingCache keeps each reading rendered once per version: Markdown is
// parsed and sanitised on the first view, not on every request.
type readingCache struct {
	mu   sync.RWMutex
	docs map[int64]cachedDoc
}

type cachedDoc struct {
	version int
	doc     markdown.Document
}

func newReadingCache() *readingCache { return &readingCache{docs: map[int64]cachedDoc{}} }

// get returns the rendered document of a reading, loading its text only on a
// cache miss.
func (rc *readingCache) get(ctx context.Context, store *models.Store, r *models.Reading) (markdown.Document, error) {
	rc.mu.RLock()
	cached, ok := rc.docs[r.ID]
	rc.mu.RUnlock()
	if ok && cached.version == r.Version {
		return cached.doc, nil
	}
	body, err := store.ReadingBody(ctx, r.ID)
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
