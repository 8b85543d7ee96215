// Package routes builds the HTTP application: one list of routes, the
// middleware around them, and one handler per area.
package routes

import (
	"log/slog"
	"net/url"
	"strings"
	"time"

	"courseportal/models"
	"courseportal/routes/metrics"
	"courseportal/views"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/compress"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/requestid"
)

// MaxBodyBytes bounds any request body; larger ones get 413.
const MaxBodyBytes = 1 << 20

// Options are the application's dependencies.
type Options struct {
	Store   *models.Store
	Views   *views.Renderer
	Log     *slog.Logger
	BaseURL string
	// TrustedProxies lists proxy addresses whose X-Forwarded-For is believed.
	TrustedProxies []string
	Signer         *Signer
	// Metrics, when not nil, counts and times every request.
	Metrics *metrics.Metrics
	// ClientAttemptLimit bounds sign-in failures, sign-ups and joins per
	// client address (models.ClientAttemptWindow): zero means
	// models.ClientAttemptLimit, a negative number turns the limit off.
	ClientAttemptLimit int
}

// handler holds what every route needs.
type handler struct {
	store   *models.Store
	views   *views.Renderer
	log     *slog.Logger
	baseURL string
	secure  bool
	signer  *Signer
	// methods is what each route path answers, for 405 (methodNotAllowed).
	methods methodTable
	outage  *outage
	metrics *metrics.Metrics
	devices *deviceKeys
	// clientLimit is the per-client attempt limit (zero or less: off).
	clientLimit int
	// siteContact is the course team's contact in every page's footer.
	siteContact *siteContact
	// articles are the reader page's parts rendered once per reading version.
	articles *articleCache
	// frames are the console pages' frames as pieces (console_frame.go).
	frames *frameShapes
}

// New builds the application with every route.
func New(o Options) *fiber.App {
	base, _ := url.Parse(o.BaseURL)
	h := &handler{store: o.Store, views: o.Views, log: o.Log, baseURL: strings.TrimRight(o.BaseURL, "/"),
		secure: base != nil && base.Scheme == "https", signer: o.Signer, metrics: o.Metrics,
		devices: &deviceKeys{}, clientLimit: o.ClientAttemptLimit, siteContact: &siteContact{},
		articles: &articleCache{}, frames: newFrameShapes()}
	if h.clientLimit == 0 {
		h.clientLimit = models.ClientAttemptLimit
	}
	cfg := fiber.Config{
		AppName:               "courseportal",
		Immutable:             true,
		BodyLimit:             MaxBodyBytes,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           90 * time.Second,
		ErrorHandler:          h.handleError,
		DisableStartupMessage: true,

		// Multipart bodies are refused (refuseUnsafeBodies); without this
		// fasthttp would parse them while reading, before any middleware.
		DisablePreParseMultipartForm: true,
	}
	if len(o.TrustedProxies) > 0 {
		cfg.ProxyHeader = fiber.HeaderXForwardedFor
		cfg.EnableTrustedProxyCheck = true
		cfg.TrustedProxies = o.TrustedProxies
	}
	app := fiber.New(cfg)
	h.outage = newOutage(app, o.Store, o.Log)
	h.register(app)
	h.methods = newMethodTable(app)
	return app
}

// register is the one list of routes. Fiber matches in this order, so the
// operations endpoints come before the session middleware (they never touch
// a session) and the not-found handlers come last.
func (h *handler) register(app *fiber.App) {
	// Who may pass: staff are instructors and admins; course is staff who
	// manage the course named by :slug; admin is administrators only.
	// Handlers given after the route's own checks run in order.
	staff := func(next ...fiber.Handler) []fiber.Handler {
		return append([]fiber.Handler{h.requireUser, h.requireStaff}, next...)
	}
	course := func(next fiber.Handler) []fiber.Handler {
		return []fiber.Handler{h.requireUser, h.requireStaff, h.requireManagedCourse, next}
	}
	admin := func(next ...fiber.Handler) []fiber.Handler {
		return append([]fiber.Handler{h.requireUser, h.requireAdmin}, next...)
	}

	app.Use(requestid.New())
	if h.metrics != nil {
		app.Use(h.metrics.Middleware(h.handleError)) // outside recover: panics count as 500s
	}
	app.Use(recover.New())
	app.Use(h.securityHeaders)
	app.Use(refuseUnsafeBodies)
	app.Use(rejectBadText)
	app.Use(negotiateForCompress)
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed, Next: codesItself}))
	app.Use(h.methodNotAllowed)

	// Operations and assets, served without a session.
	app.Get("/static/*", h.staticFile)
	app.Get("/healthz", h.healthz)
	app.Get("/readyz", h.readyz)
	// Public, read-only resources that verifiers, also in browsers on other
	// sites, fetch: readable from any origin, without a session. The
	// issuer's keys and profile, signed credentials and certificate JSON,
	// and revocation status lists (W3C Bitstring Status List).
	shared := func(path string, handler fiber.Handler) {
		app.Get(path, shareWithAnyOrigin, handler)
		app.Options(path, shareWithAnyOrigin)
	}
	shared("/.well-known/jwks.json", h.jwks)
	shared("/issuer", h.issuerProfile)
	shared("/issuer/keys/:kid", h.issuerKey)
	shared("/certificates/:code/credential", h.certificateCredential)
	shared("/api/v1/certificates/:code", h.apiCertificate)
	shared("/credentials/status/:list", h.statusList)
	shared("/api/v1/openapi.json", h.apiOpenAPI)
	// Installing and offline reading: the manifest, the service worker (at the
	// root, so its scope is the whole site) and the page it shows offline.
	app.Get("/manifest.webmanifest", h.manifest)
	app.Get("/sw.js", h.serviceWorker)
	app.Get(views.OfflinePath, h.offlinePage)

	// API clients exchange a password for a token without cookies or a CSRF
	// token, so this comes before the session and CSRF middleware. Only
	// application/json is accepted, which a browser cannot send across sites
	// without a preflight.
	app.Post("/api/v1/sessions", h.apiSessionCreate)

	// The reader page and its progress reports in one round trip to the
	// database: the session is read with the reading, under the same rules.
	// Anything they do not serve goes on to the session middleware and the
	// ordinary routes below.
	app.Get("/learn/:slug/readings/:reading", h.readerQuick)
	app.Put("/api/v1/me/readings/:reading/progress", h.progressQuick)

	app.Use(h.loadSession, h.csrf, h.chooseLanguage)

	// Public: the catalogue, accounts, joining, and the unsubscribe link of
	// reminder emails.
	app.Get("/", h.home)
	app.Get("/courses/:slug", h.courseShow)
	app.Get("/signup", h.signupShow)
	app.Post("/signup", h.signupSubmit)
	app.Get("/login", h.loginShow)
	app.Post("/login", h.loginSubmit)
	app.Post("/logout", h.logout)
	app.Get("/join/:slug", h.joinShow)
	app.Post("/join/:slug", h.joinSubmit)
	app.Get("/unsubscribe/:token", h.unsubscribeShow)
	app.Post("/unsubscribe/:token", h.unsubscribeSubmit)
	app.Post("/language", h.languageSubmit)

	// Two-step sign-in: the code after the password, and enrolment.
	app.Get("/login/mfa", h.loginMFAShow)
	app.Post("/login/mfa", h.loginMFASubmit)
	app.Get("/account/mfa", h.requireUser, h.accountMFAShow)
	app.Post("/account/mfa", h.requireUser, h.accountMFASubmit)
	app.Post("/account/mfa/recovery-codes", h.requireUser, h.accountMFARecoveryCodes)
	app.Post("/account/mfa/disable", h.requireUser, h.accountMFADisable)

	// Student: enrollment, the dashboard, the course home and the reader.
	app.Post("/courses/:slug/enroll", h.requireUser, h.enrollSubmit)
	app.Post("/courses/:slug/withdraw", h.requireUser, h.withdrawSubmit)
	app.Get("/dashboard", h.requireUser, h.dashboard)
	app.Get("/learn/:slug", h.requireUser, h.learnShow)
	app.Get("/learn/:slug/readings/:reading", h.requireUser, h.readerShow)
	app.Post("/learn/:slug/readings/:reading/complete", h.requireUser, h.queuedUnderThisSession, h.readingComplete)

	// Student: a reading's knowledge check, as a plain form, and its result.
	// Writes a device kept offline are replayed with the sign-in they were
	// made under, and refused under any other (queuedUnderThisSession).
	app.Get("/learn/:slug/readings/:reading/check", h.requireUser, h.checkShow)
	app.Post("/learn/:slug/readings/:reading/check", h.requireUser, h.queuedUnderThisSession, h.checkSubmit)

	// Certificates: public verification, PDF and credential.
	app.Get("/verify", h.verifyShow)
	app.Get("/accessibility", h.accessibilityShow)
	app.Get("/privacy", h.privacyShow)
	app.Get("/certificates/:code", h.certificateShow)
	app.Get("/certificates/:code/pdf", h.certificatePDF)
	app.Post("/certificates/:code/name-correction", h.requireUser, h.certificateNameCorrection)

	// Accounts: recovery, confirmed addresses, the account page, privacy.
	app.Get("/password/forgot", h.forgotShow)
	app.Post("/password/forgot", h.forgotSubmit)
	app.Get("/password/reset/:token", h.resetShow)
	app.Post("/password/reset/:token", h.resetSubmit)
	app.Get("/verify-email/:token", h.verifyEmail)
	app.Post("/account/verification/resend", h.requireUser, h.verificationResend)
	app.Get("/account", h.requireUser, h.accountShow)
	app.Post("/account/profile", h.requireUser, h.accountProfile)
	app.Post("/account/password", h.requireUser, h.accountPassword)
	app.Post("/account/email", h.requireUser, h.accountEmail)
	app.Post("/account/preferences", h.requireUser, h.accountPreferences)
	app.Post("/account/sessions/revoke-others", h.requireUser, h.accountRevokeOthers)
	app.Get("/account/export", h.requireUser, h.accountExport)
	app.Post("/account/delete", h.requireUser, h.accountDelete)

	// Console. Every route checks role, and ownership of the course. An
	// administrator without a second factor is sent to enrolment first;
	// sensitive actions ask for the password or a code again
	// (requireRecentConfirmation).
	app.Use("/admin", h.requireSecondFactor)
	app.Get("/admin/", staff(h.adminOverview)...)

	// Console: courses and their weeks.
	app.Get("/admin/courses/:slug", course(h.adminCourseShow)...)
	app.Post("/admin/courses/:slug", course(h.adminCourseSave)...)
	app.Post("/admin/courses/:slug/preview", course(h.adminPreview)...)
	app.Post("/admin/courses/:slug/weeks/:number", course(h.adminWeekSave)...)

	// Console: readings.
	app.Get("/admin/courses/:slug/readings", course(h.adminReadingList)...)
	app.Get("/admin/courses/:slug/readings/new", course(h.adminReadingNew)...)
	app.Post("/admin/courses/:slug/readings", course(h.adminReadingCreate)...)
	app.Get("/admin/courses/:slug/readings/:reading", course(h.adminReadingEdit)...)
	app.Post("/admin/courses/:slug/readings/:reading", course(h.adminReadingSave)...)
	app.Post("/admin/courses/:slug/readings/:reading/move", course(h.adminReadingMove)...)
	app.Post("/admin/courses/:slug/readings/:reading/publish", course(h.adminReadingPublish)...)
	app.Post("/admin/courses/:slug/readings/:reading/require", course(h.adminReadingRequire)...)
	app.Post("/admin/courses/:slug/readings/:reading/delete", course(h.adminReadingDelete)...)

	// Console: a reading's knowledge check (editor, preview, item analysis,
	// JSON export and import).
	app.Get("/admin/courses/:slug/readings/:reading/check", course(h.adminCheckEdit)...)
	app.Post("/admin/courses/:slug/readings/:reading/check", course(h.adminCheckSave)...)
	app.Get("/admin/courses/:slug/readings/:reading/check/preview", course(h.adminCheckPreview)...)
	app.Post("/admin/courses/:slug/readings/:reading/check/delete", course(h.adminCheckDelete)...)
	app.Get("/admin/courses/:slug/readings/:reading/check.json", course(h.adminCheckExport)...)
	app.Put("/admin/courses/:slug/readings/:reading/check.json", course(h.adminCheckImport)...)

	// Console: cohorts and the enrollments in them.
	app.Get("/admin/courses/:slug/cohorts", course(h.adminCohortList)...)
	app.Get("/admin/courses/:slug/cohorts/new", course(h.adminCohortNew)...)
	app.Post("/admin/courses/:slug/cohorts", course(h.adminCohortCreate)...)
	app.Get("/admin/courses/:slug/cohorts/:id", course(h.adminCohortShow)...)
	app.Post("/admin/courses/:slug/cohorts/:id", course(h.adminCohortSave)...)
	app.Post("/admin/courses/:slug/enrollments/:id/move", course(h.adminEnrollmentMove)...)
	app.Post("/admin/courses/:slug/enrollments/:id/remove", course(h.adminEnrollmentRemove)...)

	// Console: the roster, its CSV exports and reminders.
	app.Get("/admin/courses/:slug/roster.csv", course(h.rosterCSV)...)
	app.Get("/admin/courses/:slug/roster", course(h.rosterShow)...)
	app.Get("/admin/courses/:slug/students/:id/progress.csv", course(h.studentProgressCSV)...)
	app.Post("/admin/courses/:slug/cohorts/:id/remind", course(h.rosterRemind)...)

	// Console: insight, where readers stop and who needs a nudge.
	app.Get("/admin/courses/:slug/readings/:reading/insight", course(h.adminReadingInsight)...)
	app.Get("/admin/courses/:slug/cohorts/:id/insight", course(h.adminCohortInsight)...)
	app.Post("/admin/courses/:slug/cohorts/:id/insight/remind", course(h.adminCohortNudge)...)

	// Console: certificates, name corrections and the outbox.
	app.Get("/admin/certificates", staff(h.adminCertificateList)...)
	app.Get("/admin/name-corrections", staff(h.adminNameCorrectionList)...)
	app.Post("/admin/name-corrections/:id", staff(h.requireRecentConfirmation, h.adminNameCorrectionDecide)...)
	app.Post("/admin/certificates/:code/revoke", staff(h.requireRecentConfirmation, h.certificateRevoke)...)
	app.Get("/admin/outbox", staff(h.outboxList)...)
	app.Get("/admin/outbox/:id", staff(h.outboxShow)...)

	// Console: people and the audit log, for administrators.
	app.Get("/admin/users", admin(h.adminUserList)...)
	app.Get("/admin/users/:id", admin(h.adminUserShow)...)
	app.Post("/admin/users/:id/role", admin(h.requireRecentConfirmation, h.adminUserRole)...)
	app.Post("/admin/users/:id/disable", admin(h.requireRecentConfirmation, h.adminUserDisable)...)
	app.Post("/admin/users/:id/enable", admin(h.adminUserEnable)...)
	app.Post("/admin/users/:id/password-reset", admin(h.adminUserSendReset)...)
	app.Post("/admin/users/:id/courses", admin(h.adminUserAssign)...)
	app.Post("/admin/users/:id/courses/:course/remove", admin(h.adminUserUnassign)...)
	app.Get("/admin/audit", admin(h.adminAuditList)...)

	// API: JSON under /api/v1, errors as {"error":{"code","message"}}.
	api := app.Group("/api/v1")
	api.Get("/courses", h.apiCourses)
	api.Get("/courses/:slug", h.apiCourse)
	api.Post("/courses/:slug/enrollments", h.requireUser, h.apiEnroll)
	api.Get("/me/enrollments", h.requireUser, h.apiMyEnrollments)
	api.Get("/me/courses/:slug/progress", h.requireUser, h.apiMyProgress)
	api.Put("/me/readings/:reading/progress", h.requireUser, h.queuedUnderThisSession, h.apiProgressUpdate)
	api.Get("/me/courses/:slug/readings/:reading/check", h.requireUser, h.apiCheckShow)
	api.Post("/me/courses/:slug/readings/:reading/check/attempts", h.requireUser, h.queuedUnderThisSession, h.apiCheckAttempt)
	api.Use(func(c *fiber.Ctx) error { return errNotFound("No such API endpoint.") })

	app.Use(func(c *fiber.Ctx) error { return errNotFound("") })
}
