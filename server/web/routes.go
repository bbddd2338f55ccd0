package web

import (
	"net/http"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

// precompressed lists the routes whose handlers keep gzipped bodies and
// choose the encoding themselves.
var precompressed = map[string]bool{
	"/api/v1/threads": true, "/api/v1/feed.atom": true, "/embed.js": true, "/embed/i18n/:file": true, "/themes/:file": true, "/demo/*": true,
	"/admin/static/:file": true,
}

// routes is the one route table.
func (s *Server) routes() {
	e := s.e
	e.Use(
		middleware.RequestID(),
		middleware.RequestLoggerWithConfig(s.requestLogConfig()),
		middleware.RecoverWithConfig(middleware.RecoverConfig{
			DisableErrorHandler: true,
			LogErrorFunc:        func(_ echo.Context, err error, _ []byte) error { return err },
		}),
		secureHeaders,
		limitBody,
		middleware.GzipWithConfig(middleware.GzipConfig{
			Level: 5, MinLength: 1024,
			// Threads and assets are kept compressed already.
			Skipper: func(c echo.Context) bool { return precompressed[c.Path()] },
		}),
	)

	getHead := []string{http.MethodGet, http.MethodHead}
	e.Match(getHead, "/healthz", s.handleHealth)
	e.GET("/metrics", s.handleMetrics)
	e.Match(getHead, "/embed.js", s.handleAsset("embed.js"))
	e.Match(getHead, "/embed/i18n/:file", s.handleAssetDir("i18n/"))
	e.Match(getHead, "/themes/:file", s.handleAssetDir("themes/"))
	if s.demo {
		e.GET("/", s.handleDemoRedirect)
		e.GET("/demo", s.handleDemoRedirect)
		e.Match(getHead, "/demo/*", s.handleDemo)
	}

	api := e.Group("/api/v1")
	for _, path := range []string{"/threads", "/counts", "/comments", "/comments/:id"} {
		api.OPTIONS(path, s.handlePreflight)
	}
	api.GET("/threads", s.handleThreadGet)
	api.GET("/counts", s.handleCountsGet)
	api.GET("/events", s.handleThreadEvents)
	api.POST("/comments", s.handleCommentCreate)
	api.PATCH("/comments/:id", s.handleCommentEdit)
	api.DELETE("/comments/:id", s.handleCommentDelete)
	api.Match(getHead, "/feed.atom", s.handleFeed)

	// Readers' confirm and unsubscribe links (reply emails).
	e.GET("/r/confirm", s.handleConfirmPage)
	e.POST("/r/confirm", s.handleConfirm)
	e.GET("/r/unsubscribe", s.handleUnsubscribePage)
	e.POST("/r/unsubscribe", s.handleUnsubscribe)

	// The admin API and panel: same-origin only. CrossOriginProtection
	// refuses cross-site requests that change something, and requireStaff
	// also wants the session's CSRF token on them.
	xorigin := http.NewCrossOriginProtection()
	xorigin.SetDenyHandler(http.HandlerFunc(denyCrossOrigin))
	noCrossOrigin := echo.WrapMiddleware(xorigin.Handler)

	adm := e.Group("/api/v1/admin", noCrossOrigin)
	adm.POST("/login", s.handleAdminLogin)
	adm.POST("/logout", s.handleAdminLogout)
	authed := adm.Group("", s.requireStaff(false))
	authed.GET("/me", s.handleAdminMe)
	authed.POST("/token", s.handleAdminToken)
	authed.GET("/inbox", s.handleInboxList)
	authed.GET("/crises", s.handleCrisisList)
	authed.GET("/comments", s.handleCommentList)
	authed.GET("/comments/:id", s.handleCommentDetail)
	authed.PATCH("/comments/:id", s.handleActionJSON(actEdit))
	authed.DELETE("/comments/:id", s.handlePurge)
	authed.POST("/comments/:id/reply", s.handleReplyJSON)
	authed.POST("/comments/:id/moderate", s.handleActionJSON(actModerate))
	authed.POST("/comments/:id/no-reply", s.handleActionJSON(actNoReply))
	authed.POST("/comments/:id/reopen", s.handleActionJSON(actReopen))
	authed.POST("/comments/:id/assign", s.handleActionJSON(actAssign))
	authed.GET("/comments/:id/alerts", s.handleCommentAlerts)
	authed.GET("/sites/:name/assignables", s.handleAssignables)
	authed.GET("/me/alerts", s.handleAlertPrefsGet)
	authed.PUT("/me/alerts", s.handleAlertPrefsPut)
	authed.GET("/report", s.handleReport)
	authed.GET("/events", s.handleAdminEvents)
	authed.GET("/threads", s.handleThreadList)
	authed.GET("/audit", s.handleAuditList)
	authed.GET("/sites", s.handleSiteList)
	authed.PATCH("/sites/:name", s.handleSiteUpdate)
	s.answerRoutes(authed)

	s.adminRoutes(e.Group("/admin", noCrossOrigin, adminHeaders))
}
