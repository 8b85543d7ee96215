package routes

import (
	"slices"
	"strconv"
	"strings"

	"courseportal/models"

	"github.com/gofiber/fiber/v2"
)

// usersPerPage is the length of a page of the people list.
const usersPerPage = 25

// userSearchOf reads the people list's query string; unknown roles and
// pages are ignored rather than refused.
func userSearchOf(c *fiber.Ctx) models.UserSearch {
	f := models.UserSearch{Query: formLine(c.Query("q")), Role: c.Query("role"), PerPage: usersPerPage}
	if len([]rune(f.Query)) > 100 {
		f.Query = string([]rune(f.Query)[:100])
	}
	if !slices.Contains(models.UserRoles, f.Role) {
		f.Role = ""
	}
	f.Page, _ = strconv.Atoi(c.Query("page"))
	f.Page = min(max(f.Page, 1), 10000)
	return f
}

// parseRole reads the role form's one field against the list of roles.
func parseRole(c *fiber.Ctx) (string, error) {
	if err := requireForm(c); err != nil {
		return "", err
	}
	role := strings.TrimSpace(c.FormValue("role"))
	if !slices.Contains(models.UserRoles, role) {
		return "", models.Invalid("role", "Choose student, instructor or admin.")
	}
	return role, nil
}
