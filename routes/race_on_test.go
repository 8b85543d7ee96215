//go:build race

package routes_test

// slowdown scales timing bounds under the race detector, which makes
// argon2id and every query several times slower.
const slowdown = 4
