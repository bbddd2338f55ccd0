package web

import (
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/answer"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/followup"
)

// statusOf is the one table from error code to HTTP status.
var statusOf = map[comment.Code]int{
	comment.Invalid:          http.StatusUnprocessableEntity,
	comment.BadJSON:          http.StatusBadRequest,
	comment.BadEncoding:      http.StatusBadRequest,
	comment.EmptyBody:        http.StatusBadRequest,
	comment.TooLarge:         http.StatusRequestEntityTooLarge,
	comment.NotFound:         http.StatusNotFound,
	comment.UnknownSite:      http.StatusNotFound,
	comment.UnknownParent:    http.StatusUnprocessableEntity,
	comment.ParentMismatch:   http.StatusUnprocessableEntity,
	comment.OriginNotAllowed: http.StatusForbidden,
	comment.Forbidden:        http.StatusForbidden,
	comment.EditExpired:      http.StatusForbidden,
	comment.EditLocked:       http.StatusForbidden,
	comment.ThreadClosed:     http.StatusForbidden,
	comment.Conflict:         http.StatusConflict,
	answer.NotPersonalised:   http.StatusConflict,
	followup.NoEmail:         http.StatusUnprocessableEntity,
	followup.MailOff:         http.StatusServiceUnavailable,
	followup.MailFailed:      http.StatusBadGateway,
	comment.RateLimited:      http.StatusTooManyRequests,
	comment.Internal:         http.StatusInternalServerError,
}

// codeOfStatus names echo's own errors (unknown route, wrong method).
var codeOfStatus = map[int]comment.Code{
	http.StatusNotFound:              comment.NotFound,
	http.StatusMethodNotAllowed:      "method_not_allowed",
	http.StatusRequestEntityTooLarge: comment.TooLarge,
	http.StatusBadRequest:            comment.Invalid,
}

type errorBody struct {
	Error errorJSON `json:"error"`
}

type errorJSON struct {
	Code    comment.Code `json:"code"`
	Message string       `json:"message"`
	Field   string       `json:"field,omitempty"`
}

// handleError writes every error as {"error":{"code","message"}} and logs
// the ones that are the server's fault, once, with the request ID.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	status, body := s.errorResponse(err, c)
	if s.wantsHTML(c) {
		p := page{Title: "Something went wrong", Error: body.Error.Message, Return: safeNext(refererPath(c))}
		if u := currentUser(c); u.user.ID != 0 {
			p = s.newPage(c, "Something went wrong", "")
			p.Error, p.Return = body.Error.Message, safeNext(refererPath(c))
		}
		err = s.render(c, status, "error", p)
	} else if c.Request().Method == http.MethodHead {
		err = c.NoContent(status)
	} else {
		err = c.JSON(status, body)
	}
	if err != nil {
		s.log.Debug("error response not written", "error", err)
	}
}

func (s *Server) errorResponse(err error, c echo.Context) (int, errorBody) {
	var ce *comment.Error
	if errors.As(err, &ce) {
		if ce.RetryAfter > 0 {
			c.Response().Header().Set("Retry-After", retryAfter(ce.RetryAfter))
		}
		status, ok := statusOf[ce.Code]
		if !ok {
			status = http.StatusBadRequest
		}
		return status, errorBody{errorJSON{Code: ce.Code, Message: ce.Message, Field: ce.Field}}
	}
	var he *echo.HTTPError
	if errors.As(err, &he) && he.Code < 500 {
		code, ok := codeOfStatus[he.Code]
		if !ok {
			code = comment.Invalid
		}
		return he.Code, errorBody{errorJSON{Code: code, Message: http.StatusText(he.Code) + "."}}
	}
	s.log.LogAttrs(c.Request().Context(), slog.LevelError, "internal error",
		slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
		slog.String("route", c.Path()), slog.String("error", err.Error()))
	return http.StatusInternalServerError, errorBody{errorJSON{Code: comment.Internal, Message: "internal error"}}
}

func tooLarge() error {
	return comment.Errorf(comment.TooLarge, "The request is larger than %d KiB.", MaxBodyBytes>>10)
}

// wantsHTML reports whether an error should be shown as an admin page.
func (s *Server) wantsHTML(c echo.Context) bool {
	return strings.HasPrefix(c.Request().URL.Path, "/admin/") && s.pages.has("error") &&
		strings.Contains(c.Request().Header.Get("Accept"), "text/html")
}

// refererPath is the path and query of the Referer, for a "back" link.
func refererPath(c echo.Context) string {
	u, err := url.Parse(c.Request().Referer())
	if err != nil || u.Host != c.Request().Host {
		return "/admin/"
	}
	return u.RequestURI()
}

func retryAfter(d time.Duration) string { return strconv.Itoa(int(d.Seconds() + 0.999)) }
