package comment

import (
	"net/url"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxURLLength bounds the page address a reader's browser may send.
const MaxURLLength = 2048

// ThreadPath turns a page address (absolute URL or path) into the key of its
// thread, and returns the absolute URL to remember when one was given.
//
// Threads are keyed by path, not full URL, so that a blog served on several
// origins (www and bare domain, a staging host) shares one thread per page.
// The query and fragment never select a thread; "/a/index.html" and "/a/"
// are the same page on every static site generator we know.
func ThreadPath(raw string) (key, abs string, err error) {
	if raw == "" {
		return "", "", FieldError("url", "The page address is missing.")
	}
	if !utf8.ValidString(raw) {
		return "", "", &Error{Code: BadEncoding, Field: "url", Message: "The page address is not valid UTF-8."}
	}
	if len(raw) > MaxURLLength {
		return "", "", FieldError("url", "The page address is longer than %d characters.", MaxURLLength)
	}
	u, perr := url.Parse(raw)
	if perr != nil {
		return "", "", FieldError("url", "The page address is not a valid URL.")
	}
	switch {
	case u.Scheme == "" && u.Host == "":
		if !strings.HasPrefix(u.Path, "/") {
			return "", "", FieldError("url", "The page address must be absolute or start with /.")
		}
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host == "" {
			return "", "", FieldError("url", "The page address has no host.")
		}
		abs = u.Scheme + "://" + strings.ToLower(u.Host)
	default:
		return "", "", FieldError("url", "The page address must be an http or https URL.")
	}
	key = cleanPath(u.Path)
	if strings.ContainsFunc(key, unicode.IsControl) {
		return "", "", FieldError("url", "The page address holds control characters.")
	}
	if abs != "" {
		abs += (&url.URL{Path: key}).EscapedPath()
	}
	return key, abs, nil
}

func cleanPath(p string) string {
	if p == "" {
		return "/"
	}
	trailing := strings.HasSuffix(p, "/")
	p = path.Clean(p)
	for _, index := range []string{"/index.html", "/index.htm"} {
		if strings.HasSuffix(p, index) {
			p = strings.TrimSuffix(p, index)
			trailing = true
		}
	}
	if trailing && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	if p == "" {
		p = "/"
	}
	return p
}
