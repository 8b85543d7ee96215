package routes

import "github.com/gofiber/fiber/v2"

// flash is a one-time message shown on the next page.
type flash struct {
	Kind    string
	Message string
}

// flashes are the messages a redirect can carry, for students and the
// console alike; the cookie holds only the key, so nobody can make the site
// display text of their choosing.
var flashes = map[string]flash{
	"welcome":          {"success", "Welcome! Your account is ready."},
	"signed-in":        {"success", "You are signed in."},
	"signed-out":       {"info", "You have been signed out."},
	"enrolled":         {"success", "You are enrolled. Your first reading is waiting below."},
	"already-enrolled": {"info", "You are already enrolled in this course."},
	"waitlisted":       {"warning", "The cohort is full, so you are on the waitlist. We will write to you when a seat opens."},
	"withdrawn":        {"info", "You have withdrawn from the course. You can join again at any time."},
	"reading-complete": {"success", "Reading marked as complete."},
	"course-complete":  {"success", "Congratulations — you completed the course! Your certificate is ready."},
	"revoked":          {"info", "The certificate has been revoked."},

	// Two-step sign-in.
	"mfa-required": {"warning", "Administrators sign in with a second factor. Set up two-step sign-in to open the console."},
	"mfa-expired":  {"warning", "The sign-in took too long. Enter your email address and password again."},
	"mfa-off":      {"info", "Two-step sign-in is off."},

	// Name corrections.
	"name-correction-sent": {"success", "Your correction was sent to the course team. This page will show the new name once they approve it."},
	"name-corrected":       {"success", "The name was corrected and the certificate reissued."},
	"name-refused":         {"info", "The name correction was refused."},

	// Accounts.
	"verification-sent": {"success", "We sent a new confirmation link to your email address. It replaces the earlier ones."},
	"email-verified":    {"success", "Thank you: your email address is confirmed."},
	"email-change-sent": {"info", "We sent a confirmation link to your new address. Your account keeps its current address until you open it."},
	"email-changed":     {"success", "Your new email address is confirmed and now used for your account. We told your old address."},
	"password-reset":    {"success", "Your new password is set. Every other session was signed out."},
	"password-changed":  {"success", "Your password was changed. Every other session was signed out."},
	"profile-saved":     {"success", "Your name was saved."},
	"preferences-saved": {"success", "Your preferences were saved."},
	"sessions-ended":    {"success", "You were signed out everywhere else."},
	"account-deleted":   {"info", "Your account was deleted. Your personal data is gone and your certificates were withdrawn."},

	// The console.
	"course-saved":          {"success", "Course saved."},
	"week-saved":            {"success", "Week saved."},
	"reading-created":       {"success", "Reading added at the end of its week."},
	"reading-saved":         {"success", "Reading saved. Students keep their progress."},
	"reading-moved":         {"success", "Reading moved."},
	"reading-not-moved":     {"info", "The reading is already at that end of its week."},
	"reading-published":     {"success", "Reading published: enrolled students can open it."},
	"reading-unpublished":   {"success", "Reading unpublished: students no longer see it. Their progress is kept."},
	"reading-required":      {"success", "Reading marked as required."},
	"reading-optional":      {"success", "Reading marked as optional."},
	"reading-deleted":       {"success", "Reading deleted."},
	"check-saved":           {"success", "Knowledge check saved."},
	"check-deleted":         {"success", "Knowledge check deleted: “Mark as complete” completes the reading again."},
	"cohort-created":        {"success", "Cohort created."},
	"cohort-saved":          {"success", "Cohort saved."},
	"cohort-promoted":       {"success", "Cohort saved. The new seats went to the waitlist, longest-waiting first."},
	"enrollment-moved":      {"success", "Student moved to the other cohort."},
	"enrollment-removed":    {"success", "Student removed from the course. A freed seat went to the next person on the waitlist."},
	"role-changed":          {"success", "Role changed."},
	"user-disabled":         {"success", "Account disabled and signed out everywhere."},
	"user-enabled":          {"success", "Account enabled. The person can sign in again."},
	"instructor-assigned":   {"success", "Instructor assigned to the course."},
	"instructor-unassigned": {"success", "Instructor no longer teaches the course."},
	"reset-link-sent":       {"success", "A password reset link is on its way to the person; it works for one hour."},
}

func (h *handler) setFlash(c *fiber.Ctx, key string) {
	h.setCookie(c, "flash", key, 0)
}

func (h *handler) takeFlash(c *fiber.Ctx) *flash {
	key := c.Cookies(h.cookieName("flash"))
	if key == "" {
		return nil
	}
	h.clearCookie(c, "flash")
	if f, ok := flashes[key]; ok {
		return &f
	}
	return nil
}

// redirectWithFlash sends the browser on with a message for the next page.
func (h *handler) redirectWithFlash(c *fiber.Ctx, to, key string) error {
	h.setFlash(c, key)
	return c.Redirect(to, fiber.StatusSeeOther)
}
