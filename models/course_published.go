package models

import "context"

// PublishedCourse loads a course without its weeks as the public sees it: a
// draft course is not found.
func (s *Store) PublishedCourse(ctx context.Context, slug string) (*Course, error) {
	return published(s.CourseBySlug(ctx, slug))
}

// PublishedOutline loads a course with its weeks and their published
// readings as the public sees it: a draft course is not found.
func (s *Store) PublishedOutline(ctx context.Context, slug string) (*Course, error) {
	return published(s.CourseOutline(ctx, slug, false))
}

// published hides a draft course: until it is published it exists only for
// the staff who build it.
func published(c *Course, err error) (*Course, error) {
	if err != nil {
		return nil, err
	}
	if !c.Published {
		return nil, ErrNotFound
	}
	return c, nil
}
