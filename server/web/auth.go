package web

import (
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
)

// SessionCookie names the admin session cookie.
const SessionCookie = "parley_session"

// signedIn is what authentication learned about a request.
type signedIn struct {
	user staff.User
	// csrf is the session's CSRF token; empty for API-token requests, which
	// carry no ambient credentials and so need none.
	csrf string
}

const signedInKey = "parley.signed_in"

// currentUser returns the signed-in staff member of a request that passed
// requireStaff.
func currentUser(c echo.Context) signedIn {
	s, _ := c.Get(signedInKey).(signedIn)
	return s
}

// actor is the signed-in user as the product rules see them.
func actor(c echo.Context) comment.Actor { return currentUser(c).user.Actor() }

// requireStaff lets through requests with a valid session cookie or API
// token. Requests that change something with a session cookie must also
// carry the session's CSRF token (X-CSRF-Token header or csrf form field).
// html chooses how a missing sign-in is answered: a redirect to the login
// page, or a JSON error.
func (s *Server) requireStaff(html bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			in, err := s.authenticate(c)
			if err != nil {
				if html && comment.CodeOf(err) == comment.Forbidden {
					return c.Redirect(http.StatusSeeOther, "/admin/login?next="+url.QueryEscape(safeNext(c.Request().URL.RequestURI())))
				}
				return err
			}
			if in.csrf != "" && !safeMethod(c.Request().Method) {
				got := c.Request().Header.Get("X-CSRF-Token")
				if got == "" {
					got = c.FormValue("csrf")
				}
				if subtle.ConstantTimeCompare([]byte(got), []byte(in.csrf)) != 1 {
					return comment.Errorf(comment.Forbidden, "The form has expired or the CSRF token is missing; reload the page and try again.")
				}
			}
			c.Set(signedInKey, in)
			c.Response().Header().Set("Cache-Control", "no-store")
			return next(c)
		}
	}
}

func (s *Server) authenticate(c echo.Context) (signedIn, error) {
	ctx := c.Request().Context()
	if token, ok := strings.CutPrefix(c.Request().Header.Get("Authorization"), "Bearer "); ok {
		u, err := s.staff.AuthenticateAPIToken(ctx, strings.TrimSpace(token))
		return signedIn{user: u}, err
	}
	cookie, err := c.Cookie(SessionCookie)
	if err != nil {
		return signedIn{}, comment.Errorf(comment.Forbidden, "Please sign in.")
	}
	u, sess, err := s.staff.Authenticate(ctx, cookie.Value)
	return signedIn{user: u, csrf: sess.CSRFToken}, err
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// login signs in and sets a fresh session cookie; any session the browser
// had is ended first, so a planted cookie cannot be carried into the new
// session (session fixation).
func (s *Server) login(c echo.Context, email, password string) (staff.User, staff.Session, error) {
	if old, err := c.Cookie(SessionCookie); err == nil {
		if err := s.staff.Logout(c.Request().Context(), old.Value); err != nil {
			return staff.User{}, staff.Session{}, err
		}
	}
	u, sess, token, err := s.staff.Login(c.Request().Context(), email, password, c.RealIP())
	if err != nil {
		return staff.User{}, staff.Session{}, err
	}
	c.SetCookie(s.sessionCookie(c, token, sess.ExpiresAt))
	return u, sess, nil
}

func (s *Server) logout(c echo.Context) error {
	if cookie, err := c.Cookie(SessionCookie); err == nil {
		if err := s.staff.Logout(c.Request().Context(), cookie.Value); err != nil {
			return err
		}
	}
	c.SetCookie(s.sessionCookie(c, "", time.Unix(0, 0)))
	return nil
}

// sessionCookie is HttpOnly (no script reads it), SameSite=Lax (no other
// site's form posts carry it) and Secure whenever Parley is reached over
// HTTPS.
func (s *Server) sessionCookie(c echo.Context, value string, expires time.Time) *http.Cookie {
	return &http.Cookie{Name: SessionCookie, Value: value, Path: "/", Expires: expires, MaxAge: maxAge(value, expires),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.secureCookies || c.Scheme() == "https"}
}

func maxAge(value string, expires time.Time) int {
	if value == "" {
		return -1
	}
	return int(time.Until(expires).Seconds())
}

// safeNext keeps a post-login redirect on this server.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/admin") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/admin/"
	}
	return next
}
