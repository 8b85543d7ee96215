// Package mail delivers the outbox: the SMTP sender and the worker that
// claims due messages, sends them and records each outcome through the
// Store. Writing mail is not here: models queues it inside the transaction
// of the change it reports, and never imports this package.
package mail
