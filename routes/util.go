package routes

import "strconv"

// itoa writes an integer in decimal, whatever its width.
func itoa[T int | int64](n T) string { return strconv.FormatInt(int64(n), 10) }
