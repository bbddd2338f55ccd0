package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func envOf(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := Load(nil, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DB != "parley.db" || c.EditWindow != 15*time.Minute || c.LogFormat != "json" || c.CacheMB != 64 {
		t.Errorf("defaults = %+v", c)
	}
	c, _ = Load([]string{"-demo"}, envOf(nil))
	if c.DB != DemoDB || c.LogFormat != "text" {
		t.Errorf("demo defaults = %+v", c)
	}
}

func TestLoadFlagsOverrideEnv(t *testing.T) {
	env := envOf(map[string]string{
		"PARLEY_ADDR": ":9000", "PARLEY_DB": "/data/p.db", "PARLEY_EDIT_WINDOW": "30m",
		"PARLEY_SITES":           "blog=https://blog.example,https://www.blog.example/; docs=http://localhost:1313",
		"PARLEY_TRUSTED_PROXIES": "10.0.0.0/8, 127.0.0.1/32", "PARLEY_LOG_LEVEL": "debug",
	})
	c, err := Load([]string{"-addr", "127.0.0.1:7000", "-site", "shop=https://shop.example"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.DB != "/data/p.db" || c.EditWindow != 30*time.Minute || len(c.TrustedProxies) != 2 {
		t.Errorf("config = %+v", c)
	}
	if len(c.Sites) != 3 || c.Sites[0].Name != "blog" || len(c.Sites[0].Origins) != 2 ||
		c.Sites[0].Origins[1] != "https://www.blog.example" || c.Sites[2].Name != "shop" {
		t.Errorf("sites = %+v", c.Sites)
	}
	if c.LogLevel.String() != "DEBUG" {
		t.Errorf("log level %v", c.LogLevel)
	}
}

func TestLoadSitesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sites.json")
	os.WriteFile(path, []byte(`[{"name":"blog","title":"Blog","origins":["https://blog.example"],"edit_window":"5m"}]`), 0o600)
	c, err := Load([]string{"-sites-file", path}, envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Sites) != 1 || c.Sites[0].Title != "Blog" || c.Sites[0].EditWindow != 5*time.Minute {
		t.Errorf("sites = %+v", c.Sites)
	}
}

// TestLoadReportsEveryProblem checks that a bad start lists all problems,
// not just the first.
func TestLoadReportsEveryProblem(t *testing.T) {
	env := envOf(map[string]string{"PARLEY_EDIT_WINDOW": "soon", "PARLEY_CACHE_MB": "lots"})
	_, err := Load([]string{"-site", "Bad Name=ftp://x", "-site", "nosite", "-log-format", "xml",
		"-trusted-proxies", "10.0.0.0/33", "-log-level", "loud", "-sites-file", "/does/not/exist"}, env)
	if err == nil {
		t.Fatal("Load accepted bad settings")
	}
	for _, want := range []string{"PARLEY_EDIT_WINDOW", "PARLEY_CACHE_MB", "Bad Name", "ftp://x", "nosite", "xml",
		"10.0.0.0/33", "loud", "/does/not/exist"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %q:\n%v", want, err)
		}
	}
}

func TestLoadHelpAndUsage(t *testing.T) {
	if _, err := Load([]string{"-h"}, envOf(nil)); !errors.Is(err, flag.ErrHelp) {
		t.Errorf("-h: %v", err)
	}
	u := Usage()
	for _, f := range []string{"-addr", "-db", "-site", "-demo", "-edit-window", "-trusted-proxies"} {
		if !strings.Contains(u, f) {
			t.Errorf("usage lacks %s:\n%s", f, u)
		}
	}
}

func TestSecretFromFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	os.WriteFile(path, []byte("/run/parley.db\n"), 0o600)
	c, err := Load(nil, envOf(map[string]string{"PARLEY_DB_FILE": path}))
	if err != nil || c.DB != "/run/parley.db" {
		t.Errorf("PARLEY_DB_FILE: %q, %v", c.DB, err)
	}
}

func TestParseRate(t *testing.T) {
	tests := []struct {
		in   string
		want Rate
		ok   bool
	}{
		{"6/1m", Rate{6, time.Minute}, true},
		{" 600/1h ", Rate{600, time.Hour}, true},
		{"0", Rate{}, true},
		{"6", Rate{}, false},
		{"-1/1m", Rate{}, false},
		{"6/soon", Rate{}, false},
		{"6/0s", Rate{}, false},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.in)
		if got != tt.want || (err == nil) != tt.ok {
			t.Errorf("ParseRate(%q) = %v, %v", tt.in, got, err)
		}
	}
	c, err := Load(nil, envOf(nil))
	if err != nil || c.RatePost != (Rate{6, time.Minute}) || c.RateSite != (Rate{600, time.Minute}) || c.RateEdit != (Rate{30, time.Minute}) {
		t.Errorf("default rates = %v %v %v, %v", c.RatePost, c.RateSite, c.RateEdit, err)
	}
	if _, err := Load([]string{"-rate-post", "fast"}, envOf(nil)); err == nil || !strings.Contains(err.Error(), "-rate-post") {
		t.Errorf("bad -rate-post: %v", err)
	}
}
