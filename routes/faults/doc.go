// Package faults holds tests that break what the portal stands on and check
// how it answers: a PostgreSQL cluster of their own, killed and restarted
// under load. It has no code of its own.
package faults
