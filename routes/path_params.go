package routes

import (
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// pathID reads the row id in the path parameter name. Anything but a
// positive whole number that fits the bigint columns names no row: 404,
// never a 400 or a database error.
func pathID(c *fiber.Ctx, name string) (int64, error) { return pathNumber(c, name, 64) }

// pathNumber reads a positive whole number of at most bits bits (32 for
// integer columns, such as week numbers) from the path; anything else is a
// 404.
func pathNumber(c *fiber.Ctx, name string, bits int) (int64, error) {
	n, err := strconv.ParseInt(c.Params(name), 10, bits)
	if err != nil || n < 1 {
		return 0, errNotFound("")
	}
	return n, nil
}
