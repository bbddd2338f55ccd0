package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// decodeJSON reads the request body into v, which must be a pointer to a
// struct. Each way a body can be bad has its own code, so the embed can say
// what went wrong: too large, empty, not UTF-8, not JSON, or a field of the
// wrong type. Unknown fields are ignored so that an older server accepts a
// newer embed's requests.
func decodeJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr):
		return tooLarge()
	case err != nil:
		return comment.Errorf(comment.BadJSON, "The request body could not be read.")
	case len(bytes.TrimSpace(body)) == 0:
		return comment.Errorf(comment.EmptyBody, "The request has no body.")
	case !utf8.Valid(body):
		return comment.Errorf(comment.BadEncoding, "The request body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) && typeErr.Field != "" {
			return &comment.Error{Code: comment.BadJSON, Field: typeErr.Field,
				Message: "The field " + typeErr.Field + " has the wrong type."}
		}
		return comment.Errorf(comment.BadJSON, "The request body is not a valid JSON object.")
	}
	if dec.More() {
		return comment.Errorf(comment.BadJSON, "The request body holds more than one JSON value.")
	}
	return nil
}
