package models_test

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"courseportal/models"
	"courseportal/models/testdb"
)

// TestSessionReadsEveryColumnOfItsUser: the session's user is scanned by
// hand from a list of columns, which must name every column of the users
// table, and come back as the user was written.
func TestSessionReadsEveryColumnOfItsUser(t *testing.T) {
	store, _ := testdb.Open(t)
	ctx := context.Background()
	types, err := store.DB().Migrator().ColumnTypes("users")
	if err != nil {
		t.Fatal(err)
	}
	var columns []string
	for _, c := range types {
		columns = append(columns, "u."+c.Name())
	}
	slices.Sort(columns)
	listed := strings.Fields(strings.ReplaceAll(models.UserColumns, ",", " "))
	slices.Sort(listed)
	if !slices.Equal(columns, listed) {
		t.Errorf("the users table has %v, the session reads %v", columns, listed)
	}
	u := testdb.User(t, store, models.RoleInstructor)
	token, err := store.CreateSession(ctx, u.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	want, err := store.UserByID(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	got, sess, err := store.UserBySession(ctx, token)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(normalized(got), normalized(want)) || sess.UserID != u.ID || sess.ConfirmedAt == nil {
		t.Errorf("session user = %+v (%+v), want %+v", got, sess, want)
	}
	if _, _, err := store.UserBySession(ctx, token+"x"); !errors.Is(err, models.ErrNotFound) {
		t.Errorf("an unknown token gives %v, want ErrNotFound", err)
	}
}

// normalized puts a user's times in UTC, as the two databases return them
// in different locations.
func normalized(u *models.User) models.User {
	out := *u
	for _, t := range []**time.Time{&out.DisabledAt, &out.MFAEnabledAt, &out.EmailVerifiedAt, &out.ErasedAt} {
		if *t != nil {
			utc := (*t).UTC()
			*t = &utc
		}
	}
	out.CreatedAt, out.UpdatedAt = out.CreatedAt.UTC(), out.UpdatedAt.UTC()
	return out
}
