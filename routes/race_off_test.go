//go:build !race

package routes_test

// slowdown scales timing bounds under the race detector (off here).
const slowdown = 1
