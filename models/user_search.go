package models

import (
	"context"
	"fmt"
	"strings"

	"gorm.io/gorm"
)

// UserSearch is a query of the people list.
type UserSearch struct {
	// Query matches part of a name or an email address, ignoring case.
	Query string
	// Role keeps one role; empty keeps all.
	Role    string
	Page    int
	PerPage int
}

// ConsoleUser is one person in the people list, with the courses they teach.
type ConsoleUser struct {
	User
	Teaches []CourseRef
}

// UserList is one page of people.
type UserList struct {
	Users []ConsoleUser
	Total int64
}

// SearchUsers lists people matching a search, by name, a page at a time,
// with the courses of the instructors among them (two queries in all, plus
// the count).
func (s *Store) SearchUsers(ctx context.Context, f UserSearch) (*UserList, error) {
	db, cancel := s.conn(ctx)
	defer cancel()
	q := db.Model(&User{})
	if f.Query = strings.TrimSpace(f.Query); f.Query != "" {
		p := likePattern(f.Query)
		q = q.Where(`(lower(full_name) LIKE ? ESCAPE '\' OR lower(email) LIKE ? ESCAPE '\')`, p, p)
	}
	if f.Role != "" {
		q = q.Where("role = ?", f.Role)
	}
	list := &UserList{}
	if err := q.Session(&gorm.Session{}).Count(&list.Total).Error; err != nil {
		return nil, fmt.Errorf("store: unable to count users: %w", err)
	}
	var users []User
	err := q.Order("lower(full_name), id").Limit(f.PerPage).Offset(max(0, f.Page-1) * f.PerPage).Find(&users).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to search users: %w", err)
	}
	ids := make([]int64, len(users))
	for i := range users {
		ids[i] = users[i].ID
	}
	teaches, err := s.coursesTaught(db, ids)
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		list.Users = append(list.Users, ConsoleUser{User: u, Teaches: teaches[u.ID]})
	}
	return list, nil
}

// coursesTaught maps each of the users to the courses they are assigned to.
func (s *Store) coursesTaught(db *gorm.DB, userIDs []int64) (map[int64][]CourseRef, error) {
	out := map[int64][]CourseRef{}
	if len(userIDs) == 0 {
		return out, nil
	}
	var rows []struct {
		UserID int64
		CourseRef
	}
	err := db.Table("course_instructors ci").Select("ci.user_id, c.id, c.slug, c.title").
		Joins("JOIN courses c ON c.id = ci.course_id").Where("ci.user_id IN ?", userIDs).
		Order("c.title").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to list assignments: %w", err)
	}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.CourseRef)
	}
	return out, nil
}

// UserDetail is one person as the people page shows them.
type UserDetail struct {
	User        *User
	Teaches     []CourseRef
	Enrollments []EnrollmentSummary
	Sessions    int64
}

// UserDetailByID loads a person with their courses and live sessions.
func (s *Store) UserDetailByID(ctx context.Context, id int64) (*UserDetail, error) {
	u, err := s.UserByID(ctx, id)
	if err != nil {
		return nil, err
	}
	d := &UserDetail{User: u}
	db, cancel := s.conn(ctx)
	defer cancel()
	teaches, err := s.coursesTaught(db, []int64{id})
	if err != nil {
		return nil, err
	}
	d.Teaches = teaches[id]
	if d.Enrollments, err = s.EnrollmentsOf(ctx, id); err != nil {
		return nil, err
	}
	err = db.Model(&Session{}).Where("user_id = ? AND expires_at > ?", id, s.clock.Now()).Count(&d.Sessions).Error
	if err != nil {
		return nil, fmt.Errorf("store: unable to count sessions: %w", err)
	}
	return d, nil
}
