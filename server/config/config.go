// Package config reads Parley's settings from flags, with PARLEY_*
// environment variables as their defaults, and checks them all at once. It
// imports the standard library only.
package config

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Config is every setting of the server.
type Config struct {
	Addr       string
	DB         string
	Sites      []Site
	SitesFile  string
	EditWindow time.Duration
	Demo       bool
	LogFormat  string // "text" or "json"
	LogLevel   slog.Level
	// TrustedProxies are the networks whose X-Forwarded-For is believed.
	TrustedProxies []*net.IPNet
	CacheMB        int
	// SecureCookies marks the admin session cookie Secure even when
	// Parley sees plain HTTP (behind a TLS proxy).
	SecureCookies bool
	// RatePost, RateSite and RateEdit limit new comments per client
	// address, new comments per site, and edits per address.
	RatePost, RateSite, RateEdit Rate
	// AkismetURL and AkismetKey set up an optional Akismet-compatible
	// spam check; off when the URL is empty.
	AkismetURL, AkismetKey string
	// SpamScore runs the local spam score (on unless switched off).
	SpamScore bool

	// PublicURL is where staff reach Parley, for the links in alerts.
	PublicURL string
	// Alerts runs the alert worker (every replica may: they share the work).
	Alerts        bool
	AlertInterval time.Duration
	// SMTPURL is the mail server alerts go through (smtp:// with STARTTLS,
	// smtps:// with TLS); no email alerts when empty. MailFrom is their sender.
	SMTPURL, MailFrom string
	// MailListen, when set, runs the reply-by-email SMTP listener there;
	// MailDomain is the domain of the reply addresses it accepts.
	MailListen, MailDomain string
	// MetricsToken, when set, is the bearer token /metrics wants.
	MetricsToken string
}

// Rate is N events per Per; N 0 means no limit.
type Rate struct {
	N   int
	Per time.Duration
}

// ParseRate reads "N/DURATION" such as "6/1m"; "0" means no limit.
func ParseRate(s string) (Rate, error) {
	s = strings.TrimSpace(s)
	if s == "0" || s == "" {
		return Rate{}, nil
	}
	n, per, ok := strings.Cut(s, "/")
	count, err1 := strconv.Atoi(n)
	d, err2 := time.ParseDuration(per)
	if !ok || err1 != nil || err2 != nil || count <= 0 || d <= 0 {
		return Rate{}, fmt.Errorf("%q is not a rate such as 6/1m (or 0 for none)", s)
	}
	return Rate{N: count, Per: d}, nil
}

// Site is a site named on the command line or in the sites file.
type Site struct {
	Name       string        `json:"name"`
	Title      string        `json:"title"`
	Origins    []string      `json:"origins"`
	EditWindow time.Duration `json:"-"`
}

// DemoDB is the database the demo uses unless -db names another.
const DemoDB = "parley-demo.db"

// flags is the flag set with the settings that need parsing after it.
type flags struct {
	fs                           *flag.FlagSet
	level, proxies               *string
	ratePost, rateSite, rateEdit *string
}

// define declares every setting once, with its environment variable as the
// default; problems with environment values are appended to errs.
func define(c *Config, getenv func(string) string, errs *[]error) flags {
	fs := flag.NewFlagSet("parley", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	e := env{getenv: getenv, errs: errs}

	fs.StringVar(&c.Addr, "addr", e.str("PARLEY_ADDR", ":8080"), "listen address")
	fs.StringVar(&c.DB, "db", e.str("PARLEY_DB", ""), "SQLite database file, or a postgres:// URL (default parley.db, or "+DemoDB+" with -demo)")
	sites := &siteFlag{sites: &c.Sites}
	for _, s := range splitNonEmpty(getenv("PARLEY_SITES"), ";") {
		if err := sites.Set(s); err != nil {
			*errs = append(*errs, fmt.Errorf("PARLEY_SITES: %w", err))
		}
	}
	fs.Var(sites, "site", "a site as NAME=ORIGIN[,ORIGIN…] (repeatable; env PARLEY_SITES, separated by ;)")
	fs.StringVar(&c.SitesFile, "sites-file", e.str("PARLEY_SITES_FILE", ""), "JSON file listing sites")
	fs.DurationVar(&c.EditWindow, "edit-window", e.duration("PARLEY_EDIT_WINDOW", 15*time.Minute), "how long readers may edit their comments")
	fs.BoolVar(&c.Demo, "demo", e.boolean("PARLEY_DEMO", false), "serve the demo blog at /demo/ with a demo site")
	fs.StringVar(&c.LogFormat, "log-format", e.str("PARLEY_LOG_FORMAT", ""), "log format: text or json (default json, text with -demo)")
	fs.IntVar(&c.CacheMB, "cache-mb", e.integer("PARLEY_CACHE_MB", 64), "memory for cached threads, in MiB")
	fs.StringVar(&c.AkismetURL, "akismet-url", e.str("PARLEY_AKISMET_URL", ""), "Akismet-compatible spam check endpoint, such as https://rest.akismet.com (off when empty)")
	fs.StringVar(&c.AkismetKey, "akismet-key", e.str("PARLEY_AKISMET_KEY", ""), "API key of the Akismet-compatible service (or PARLEY_AKISMET_KEY_FILE)")
	fs.BoolVar(&c.SpamScore, "spam-score", e.boolean("PARLEY_SPAM_SCORE", true), "mark comments the local spam score judges spam")
	fs.StringVar(&c.PublicURL, "public-url", e.str("PARLEY_PUBLIC_URL", ""), "the address staff and readers reach Parley at, for links in alerts and reply emails (default http://localhost and -addr's port)")
	fs.BoolVar(&c.Alerts, "alerts", e.boolean("PARLEY_ALERTS", true), "run the alert worker (reminders until every comment is answered)")
	fs.DurationVar(&c.AlertInterval, "alert-interval", e.duration("PARLEY_ALERT_INTERVAL", 5*time.Second), "how often the alert worker looks for due alerts")
	fs.StringVar(&c.SMTPURL, "smtp-url", e.str("PARLEY_SMTP_URL", ""), "mail server for email alerts: smtp://user:pass@host:587 (STARTTLS) or smtps://…:465 (or PARLEY_SMTP_URL_FILE; off when empty)")
	fs.StringVar(&c.MailFrom, "mail-from", e.str("PARLEY_MAIL_FROM", "Parley <parley@localhost>"), "sender of email alerts")
	fs.StringVar(&c.MailListen, "mail-listen", e.str("PARLEY_MAIL_LISTEN", ""), "listen address of the reply-by-email SMTP listener, such as :2525 (off when empty)")
	fs.StringVar(&c.MailDomain, "mail-domain", e.str("PARLEY_MAIL_DOMAIN", ""), "domain of reply-by-email addresses (reply+TOKEN@DOMAIN); its MX must reach -mail-listen")
	fs.StringVar(&c.MetricsToken, "metrics-token", e.str("PARLEY_METRICS_TOKEN", ""), "bearer token for /metrics (or PARLEY_METRICS_TOKEN_FILE; open when empty)")
	fs.BoolVar(&c.SecureCookies, "secure-cookies", e.boolean("PARLEY_SECURE_COOKIES", false), "always mark the admin session cookie Secure (set behind an HTTPS proxy)")
	return flags{
		fs:       fs,
		level:    fs.String("log-level", e.str("PARLEY_LOG_LEVEL", "info"), "log level: debug, info, warn or error"),
		proxies:  fs.String("trusted-proxies", e.str("PARLEY_TRUSTED_PROXIES", ""), "comma-separated CIDRs whose X-Forwarded-For is believed"),
		ratePost: fs.String("rate-post", e.str("PARLEY_RATE_POST", "6/1m"), "new comments per client address, as N/DURATION (0: no limit)"),
		rateSite: fs.String("rate-site", e.str("PARLEY_RATE_SITE", "600/1m"), "new comments per site from all addresses (0: no limit)"),
		rateEdit: fs.String("rate-edit", e.str("PARLEY_RATE_EDIT", "30/1m"), "edits and deletes per client address (0: no limit)"),
	}
}

// Load fills a Config from args (without the program name) and getenv, then
// validates it. All problems are reported together. flag.ErrHelp is returned
// for -h.
func Load(args []string, getenv func(string) string) (Config, error) {
	var c Config
	var errs []error
	f := define(&c, getenv, &errs)
	fs, level, proxies := f.fs, f.level, f.proxies
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return c, err
		}
		errs = append(errs, err)
	}
	if fs.NArg() > 0 {
		errs = append(errs, fmt.Errorf("unexpected arguments: %q", fs.Args()))
	}
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		errs = append(errs, fmt.Errorf("-log-level: %q is not debug, info, warn or error", *level))
	}
	for _, r := range []struct {
		flag string
		in   *string
		out  *Rate
	}{{"-rate-post", f.ratePost, &c.RatePost}, {"-rate-site", f.rateSite, &c.RateSite}, {"-rate-edit", f.rateEdit, &c.RateEdit}} {
		var err error
		if *r.out, err = ParseRate(*r.in); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", r.flag, err))
		}
	}
	for _, p := range splitNonEmpty(*proxies, ",") {
		_, n, err := net.ParseCIDR(strings.TrimSpace(p))
		if err != nil {
			errs = append(errs, fmt.Errorf("-trusted-proxies: %q is not a CIDR such as 10.0.0.0/8", p))
			continue
		}
		c.TrustedProxies = append(c.TrustedProxies, n)
	}
	if c.SitesFile != "" {
		fileSites, err := readSitesFile(c.SitesFile)
		errs = append(errs, err)
		c.Sites = append(c.Sites, fileSites...)
	}
	c.applyDefaults()
	errs = append(errs, c.Validate())
	return c, errors.Join(errs...)
}

func (c *Config) applyDefaults() {
	if c.DB == "" {
		c.DB = "parley.db"
		if c.Demo {
			c.DB = DemoDB
		}
	}
	if c.PublicURL == "" {
		port := "8080"
		if _, p, err := net.SplitHostPort(c.Addr); err == nil && p != "" && p != "0" {
			port = p
		}
		c.PublicURL = "http://localhost:" + port
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if c.LogFormat == "" {
		c.LogFormat = "json"
		if c.Demo {
			c.LogFormat = "text"
		}
	}
}

var siteNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// Validate returns every problem of c, joined.
func (c Config) Validate() error {
	var errs []error
	if c.Addr == "" {
		errs = append(errs, errors.New("-addr is empty"))
	}
	if c.EditWindow < 0 || c.EditWindow > 7*24*time.Hour {
		errs = append(errs, fmt.Errorf("-edit-window %s is not between 0 and 168h", c.EditWindow))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("-log-format %q is not text or json", c.LogFormat))
	}
	if c.AkismetURL != "" && (c.AkismetKey == "" || !strings.HasPrefix(c.AkismetURL, "http")) {
		errs = append(errs, errors.New("-akismet-url needs an http(s) address and -akismet-key a key"))
	}
	if u, err := url.Parse(c.PublicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("-public-url %q is not an http(s) address", c.PublicURL))
	}
	if c.SMTPURL != "" && !strings.HasPrefix(c.SMTPURL, "smtp://") && !strings.HasPrefix(c.SMTPURL, "smtps://") {
		errs = append(errs, errors.New("-smtp-url must start with smtp:// or smtps://"))
	}
	if (c.MailListen == "") != (c.MailDomain == "") {
		errs = append(errs, errors.New("-mail-listen and -mail-domain go together"))
	}
	if c.AlertInterval < 100*time.Millisecond || c.AlertInterval > time.Hour {
		errs = append(errs, fmt.Errorf("-alert-interval %s is not between 100ms and 1h", c.AlertInterval))
	}
	if c.CacheMB < 1 {
		errs = append(errs, fmt.Errorf("-cache-mb %d is below 1", c.CacheMB))
	}
	seen := map[string]bool{}
	for _, s := range c.Sites {
		if !siteNameRE.MatchString(s.Name) {
			errs = append(errs, fmt.Errorf("site %q: the name must be lower-case letters, digits and dashes", s.Name))
		}
		if seen[s.Name] {
			errs = append(errs, fmt.Errorf("site %q is named twice", s.Name))
		}
		seen[s.Name] = true
		if len(s.Origins) == 0 {
			errs = append(errs, fmt.Errorf("site %q has no origins (such as https://blog.example.com)", s.Name))
		}
		for _, o := range s.Origins {
			if !validOrigin(o) {
				errs = append(errs, fmt.Errorf("site %q: %q is not an origin such as https://blog.example.com", s.Name, o))
			}
		}
	}
	return errors.Join(errs...)
}

func validOrigin(o string) bool {
	scheme, host, ok := strings.Cut(o, "://")
	return o == "self" || ok && (scheme == "http" || scheme == "https") && host != "" && !strings.ContainsAny(host, "/?#@ ")
}

// siteFlag collects repeated -site NAME=ORIGIN[,ORIGIN…] flags.
type siteFlag struct{ sites *[]Site }

func (f *siteFlag) String() string { return "" }

func (f *siteFlag) Set(v string) error {
	name, origins, ok := strings.Cut(strings.TrimSpace(v), "=")
	if !ok || name == "" {
		return fmt.Errorf("site %q is not NAME=ORIGIN[,ORIGIN…]", v)
	}
	var list []string
	for _, o := range splitNonEmpty(origins, ",") {
		list = append(list, strings.TrimRight(strings.TrimSpace(o), "/"))
	}
	*f.sites = append(*f.sites, Site{Name: strings.TrimSpace(name), Origins: list})
	return nil
}

func readSitesFile(path string) ([]Site, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("-sites-file: %w", err)
	}
	var raw []struct {
		Site
		EditWindow string `json:"edit_window"`
	}
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("-sites-file %s: %w", path, err)
	}
	out := make([]Site, len(raw))
	var errs []error
	for i, r := range raw {
		out[i] = r.Site
		if r.EditWindow != "" {
			d, err := time.ParseDuration(r.EditWindow)
			if err != nil {
				errs = append(errs, fmt.Errorf("-sites-file %s: site %q: edit_window %q is not a duration such as 15m", path, r.Name, r.EditWindow))
			}
			out[i].EditWindow = d
		}
	}
	return out, errors.Join(errs...)
}

func splitNonEmpty(s, sep string) []string {
	var out []string
	for _, p := range strings.Split(s, sep) {
		if strings.TrimSpace(p) != "" {
			out = append(out, p)
		}
	}
	return out
}

// Usage describes every flag and its environment variable.
func Usage() string {
	var b strings.Builder
	f := define(&Config{}, func(string) string { return "" }, new([]error))
	f.fs.SetOutput(&b)
	f.fs.PrintDefaults()
	return b.String()
}
