package config

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// env reads PARLEY_* variables as flag defaults, collecting parse errors
// instead of dropping them. For a secret, NAME_FILE may name a file holding
// it (Docker secrets).
type env struct {
	getenv func(string) string
	errs   *[]error
}

func (e env) str(name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	if file := e.getenv(name + "_FILE"); file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			*e.errs = append(*e.errs, fmt.Errorf("%s_FILE: %w", name, err))
			return def
		}
		return strings.TrimSpace(string(b))
	}
	return def
}

func (e env) duration(name string, def time.Duration) time.Duration {
	v := e.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		*e.errs = append(*e.errs, fmt.Errorf("%s: %q is not a duration such as 15m", name, v))
		return def
	}
	return d
}

func (e env) integer(name string, def int) int {
	v := e.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		*e.errs = append(*e.errs, fmt.Errorf("%s: %q is not a whole number", name, v))
		return def
	}
	return n
}

func (e env) boolean(name string, def bool) bool {
	v := e.getenv(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		*e.errs = append(*e.errs, fmt.Errorf("%s: %q is not true or false", name, v))
		return def
	}
	return b
}
