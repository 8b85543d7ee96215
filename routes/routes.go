// Package routes builds the HTTP application: one list of routes, the
// middleware around them, and one handler per area.
package routes

import (
	"log/slog"
	"net/url"
	"strings"
	"time"

	"courseportal/models"
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
}

// handler holds what every route needs.
type handler struct {
	store   *models.Store
	views   *views.Renderer
	log     *slog.Logger
	baseURL string
	secure  bool
	signer  *Signer
	readers *readingCache
}

// New builds the application with every route.
func New(o Options) *fiber.App {
	base, _ := url.Parse(o.BaseURL)
	h := &handler{store: o.Store, views: o.Views, log: o.Log, baseURL: strings.TrimRight(o.BaseURL, "/"),
		secure: base != nil && base.Scheme == "https", signer: o.Signer, readers: newReadingCache()}
	cfg := fiber.Config{
		AppName:               "courseportal",
		Immutable:             true,
		BodyLimit:             MaxBodyBytes,
		ReadTimeout:           15 * time.Second,
		WriteTimeout:          60 * time.Second,
		IdleTimeout:           90 * time.Second,
		ErrorHandler:          h.handleError,
		DisableStartupMessage: true,
	}
	if len(o.TrustedProxies) > 0 {
		cfg.ProxyHeader = fiber.HeaderXForwardedFor
		cfg.EnableTrustedProxyCheck = true
		cfg.TrustedProxies = o.TrustedProxies
	}
	app := fiber.New(cfg)
	h.register(app)
	return app
}

// register is the one list of routes.
func (h *handler) register(app *fiber.App) {
	app.Use(requestid.New())
	app.Use(recover.New())
	app.Use(h.securityHeaders)
	app.Use(rejectBadText)
	app.Use(compress.New(compress.Config{Level: compress.LevelBestSpeed}))
	app.Get("/static/*", h.staticFile)
	app.Get("/healthz", h.healthz)
	app.Get("/readyz", h.readyz)
	app.Get("/.well-known/jwks.json", h.jwks)
	app.Get("/issuer", h.issuerProfile)

	app.Use(h.loadSession, h.csrf)

	app.Get("/", h.home)
	app.Get("/courses/:slug", h.courseShow)
	app.Get("/signup", h.signupShow)
	app.Post("/signup", h.signupSubmit)
	app.Get("/login", h.loginShow)
	app.Post("/login", h.loginSubmit)
	app.Post("/logout", h.logout)
	app.Get("/join/:slug", h.joinShow)
	app.Post("/join/:slug", h.joinSubmit)
	app.Post("/courses/:slug/enroll", h.requireUser, h.enrollSubmit)
	app.Post("/courses/:slug/withdraw", h.requireUser, h.withdrawSubmit)
	app.Get("/dashboard", h.requireUser, h.dashboard)
	app.Get("/learn/:slug", h.requireUser, h.learnShow)
	app.Get("/learn/:slug/readings/:reading", h.requireUser, h.readerShow)
	app.Post("/learn/:slug/readings/:reading/complete", h.requireUser, h.readingComplete)
	app.Get("/verify", h.verifyShow)
	app.Get("/certificates/:code", h.certificateShow)
	app.Get("/certificates/:code/pdf", h.certificatePDF)
	app.Get("/certificates/:code/credential", h.certificateCredential)
	app.Post("/admin/certificates/:code/revoke", h.requireUser, h.requireStaff, h.certificateRevoke)
	h.registerAdmin(app)
	h.registerRoster(app)

	api := app.Group("/api/v1")
	api.Post("/sessions", h.apiSessionCreate)
	api.Get("/courses", h.apiCourses)
	api.Get("/courses/:slug", h.apiCourse)
	api.Post("/courses/:slug/enrollments", h.requireUser, h.apiEnroll)
	api.Get("/me/enrollments", h.requireUser, h.apiMyEnrollments)
	api.Get("/me/courses/:slug/progress", h.requireUser, h.apiMyProgress)
	api.Put("/me/readings/:reading/progress", h.requireUser, h.apiProgressUpdate)
	api.Get("/certificates/:code", h.apiCertificate)
	api.Use(func(c *fiber.Ctx) error { return errNotFound("No such API endpoint.") })

	app.Use(func(c *fiber.Ctx) error { return errNotFound("") })
}
