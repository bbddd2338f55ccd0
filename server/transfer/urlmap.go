package transfer

import (
	"fmt"
	"strings"
)

// URLMap rewrites the page addresses of an import that starts with Old
// (compared without regard to case) to start with New instead: the blog
// moved to another domain or path.
type URLMap struct {
	Old, New string
}

// ParseURLMap reads "old=new", as -map-url takes it.
func ParseURLMap(s string) (URLMap, error) {
	old, repl, ok := strings.Cut(s, "=")
	old, repl = strings.TrimSpace(old), strings.TrimSpace(repl)
	if !ok || old == "" || repl == "" {
		return URLMap{}, fmt.Errorf("transfer: URL map %q: want old=new, such as https://old.example=https://new.example", s)
	}
	return URLMap{Old: old, New: repl}, nil
}

// mapURL applies the first map whose Old starts u.
func mapURL(maps []URLMap, u string) string {
	for _, m := range maps {
		if len(u) >= len(m.Old) && strings.EqualFold(u[:len(m.Old)], m.Old) {
			return m.New + u[len(m.Old):]
		}
	}
	return u
}
