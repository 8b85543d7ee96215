// Package models holds the portal's data types and the Store that reads and
// writes them. Every rule of the domain that must hold under concurrency
// (capacity, one live enrollment, monotonic progress, one certificate per
// enrollment) is enforced here, inside database transactions, with database
// constraints as the backstop.
package models
