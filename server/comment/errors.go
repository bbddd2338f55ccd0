package comment

import (
	"errors"
	"fmt"
	"time"
)

// Code is a stable error code. The embed and the admin panel switch on it, so
// a code, once shipped, never changes meaning.
type Code string

// The error codes. web maps each to an HTTP status in one table.
const (
	Invalid          Code = "invalid"            // a field fails validation
	BadJSON          Code = "bad_json"           // the body is not the expected JSON
	BadEncoding      Code = "bad_encoding"       // the body is not valid UTF-8
	EmptyBody        Code = "empty_body"         // a body is required
	TooLarge         Code = "too_large"          // the body is over the limit
	NotFound         Code = "not_found"          // no such record
	UnknownSite      Code = "unknown_site"       // the site is not configured
	UnknownParent    Code = "unknown_parent"     // parent_id names no comment
	ParentMismatch   Code = "parent_mismatch"    // parent_id is in another thread
	OriginNotAllowed Code = "origin_not_allowed" // Origin missing or not the site's
	Forbidden        Code = "forbidden"          // credentials missing or wrong
	EditExpired      Code = "edit_expired"       // the reader's edit window passed
	EditLocked       Code = "edit_locked"        // staff replied; no more reader edits
	ThreadClosed     Code = "thread_closed"      // the thread takes no new comments
	Conflict         Code = "conflict"           // a unique value already exists
	RateLimited      Code = "rate_limited"       // too many requests
	Internal         Code = "internal"           // a server fault
)

// Error is a failure the caller caused. Message is safe to show to a commenter
// or admin; Field names the request field at fault, if one is.
type Error struct {
	Code    Code
	Message string
	Field   string
	// RetryAfter, for RateLimited, is when the caller may try again.
	RetryAfter time.Duration
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s (%s): %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with a formatted message.
func Errorf(code Code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldError returns an Invalid *Error about one request field.
func FieldError(field, format string, args ...any) *Error {
	return &Error{Code: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the Code of err: "" for nil, Internal for anything that is not
// an *Error.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}
