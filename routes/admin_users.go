package routes

import (
	"net/http"
	"net/url"

	"courseportal/models"
	"courseportal/views"

	"github.com/gofiber/fiber/v2"
)

// adminUserListData is the people list.
type adminUserListData struct {
	adminPage
	Search models.UserSearch
	List   *models.UserList
	Roles  []string
	Pages  int
}

// PageURL is the address of another page of the same search.
func (d adminUserListData) PageURL(n int) string {
	q := url.Values{}
	if d.Search.Query != "" {
		q.Set("q", d.Search.Query)
	}
	if d.Search.Role != "" {
		q.Set("role", d.Search.Role)
	}
	if n > 1 {
		q.Set("page", itoa(n))
	}
	if len(q) == 0 {
		return "/admin/users"
	}
	return "/admin/users?" + q.Encode()
}

// adminUserList searches people by name or email, a page at a time.
func (h *handler) adminUserList(c *fiber.Ctx) error {
	search := userSearchOf(c)
	list, err := h.store.SearchUsers(c.UserContext(), search)
	if err != nil {
		return err
	}
	d := adminUserListData{adminPage: adminPage{Tab: "users"}, Search: search, List: list, Roles: models.UserRoles,
		Pages: int((list.Total + usersPerPage - 1) / usersPerPage)}
	return h.render(c, http.StatusOK, "admin_users", page{Title: h.t(c, "console.nav.people"), Data: d})
}

// recentMailShown is how many of a person's last messages their page lists.
const recentMailShown = 10

// adminUserData is one person's page.
type adminUserData struct {
	adminPage
	Detail  *models.UserDetail
	Courses []models.CourseRef
	Roles   []string
	Errors  formErrors
	// Self is true on the administrator's own page.
	Self bool
	// Mail is the last messages written to the person.
	Mail []outboxRow
}

func (h *handler) adminUserPage(c *fiber.Ctx, status int, errs formErrors) error {
	id, err := pathID(c, "id")
	if err != nil {
		return errNotFound("No account has this id.")
	}
	detail, err := h.store.UserDetailByID(c.UserContext(), id)
	if err != nil {
		return consoleNotFound(err, "No account has this id.")
	}
	courses, err := h.store.AllCourses(c.UserContext())
	if err != nil {
		return err
	}
	mail, err := h.store.RecentMailTo(c.UserContext(), detail.User.ID, recentMailShown)
	if err != nil {
		return err
	}
	d := adminUserData{adminPage: adminPage{Tab: "users"}, Detail: detail, Courses: courses, Roles: models.UserRoles,
		Errors: errs, Self: detail.User.ID == currentUser(c).ID, Mail: outboxRows(h.localizer(c), mail)}
	return h.render(c, status, "admin_user", page{Title: views.Isolate(detail.User.FullName), Scripts: []string{"js/admin.js"}, Data: d})
}

// adminUserShow is a person's account: role, status, courses taught and
// enrollments.
func (h *handler) adminUserShow(c *fiber.Ctx) error {
	return h.adminUserPage(c, http.StatusOK, nil)
}
