package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// site returns the site named by the request's site parameter and, when the
// request comes from one of the site's origins, allows the browser to read
// the answer. The public API is cross-origin by design; only the site's own
// pages get CORS headers.
func (s *Server) site(c echo.Context) (comment.Site, error) {
	site, err := s.svc.Site(c.QueryParam("site"))
	if err != nil {
		return comment.Site{}, err
	}
	h := c.Response().Header()
	h.Add("Vary", "Origin")
	if origin := c.Request().Header.Get("Origin"); site.AllowsOrigin(origin, selfOrigin(c)) {
		h.Set("Access-Control-Allow-Origin", origin)
		h.Set("Access-Control-Expose-Headers", "ETag, Retry-After")
	}
	return site, nil
}

// writableSite is site for requests that change something: they must come
// from one of the site's origins. Browsers always send Origin on such
// requests, so a missing one means a script outside a browser or a page
// that hid it, and is refused as well.
func (s *Server) writableSite(c echo.Context) (comment.Site, error) {
	site, err := s.site(c)
	if err != nil {
		return comment.Site{}, err
	}
	if origin := c.Request().Header.Get("Origin"); !site.AllowsOrigin(origin, selfOrigin(c)) {
		return comment.Site{}, comment.Errorf(comment.OriginNotAllowed,
			"Comments for site %s may only be sent from its own pages.", site.Name)
	}
	return site, nil
}

// selfOrigin is the origin Parley is reached at, for sites whose origins say
// "self" (the demo blog).
func selfOrigin(c echo.Context) string {
	scheme := "http"
	if c.Request().TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + c.Request().Host
}

// handlePreflight answers the browser's CORS preflight for the site's pages.
func (s *Server) handlePreflight(c echo.Context) error {
	if _, err := s.writableSite(c); err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Access-Control-Allow-Methods", "GET, POST, PATCH, DELETE")
	h.Set("Access-Control-Allow-Headers", "Content-Type, Authorization, If-None-Match")
	h.Set("Access-Control-Max-Age", "86400")
	return c.NoContent(http.StatusNoContent)
}

// originOf is the Origin of a request whose origin was checked, or the
// origin Parley is reached at when the check allowed "self".
func originOf(c echo.Context) string {
	if o := c.Request().Header.Get("Origin"); o != "" {
		return o
	}
	return selfOrigin(c)
}
