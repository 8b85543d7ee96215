package models

// UserColumns lets the tests compare the columns a session reads with the
// users table's.
const UserColumns = userColumns
