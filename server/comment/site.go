package comment

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"time"
)

var siteNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,63}$`)

// SelfOrigin in a site's origins allows the origin Parley itself is served
// on (the demo blog).
const SelfOrigin = "self"

// ValidateSite checks a site's name and origins. Errors: Invalid.
func ValidateSite(s Site) error {
	if !siteNameRE.MatchString(s.Name) {
		return FieldError("name", "Site name %q must be lower-case letters, digits and dashes.", s.Name)
	}
	for _, o := range s.Origins {
		if o != SelfOrigin && !validOrigin(o) {
			return FieldError("origins", "Site %s: %q is not an origin like https://blog.example.com.", s.Name, o)
		}
	}
	if s.EditWindow < 0 {
		return FieldError("edit_window", "Site %s: the edit window cannot be negative.", s.Name)
	}
	switch s.Moderation {
	case "", ModerationOff, ModerationAll, ModerationFirst, ModerationLinks:
	default:
		return FieldError("moderation", "Site %s: pre-moderation is off, all, first or links, not %q.", s.Name, s.Moderation)
	}
	if s.MaxLinks < 0 || s.MaxLinks > 100 {
		return FieldError("max_links", "Site %s: the link limit must be between 0 and 100.", s.Name)
	}
	if s.ReplyTarget < 0 || s.ReplyTarget > 30*24*time.Hour {
		return FieldError("reply_target", "Site %s: the reply target must be between 1 minute and 30 days of business time.", s.Name)
	}
	if s.ReplyTarget > 0 && s.ReplyTarget < time.Minute {
		return FieldError("reply_target", "Site %s: the reply target must be at least 1 minute.", s.Name)
	}
	if err := checkAckTexts(s.AckTexts); err != nil {
		return err
	}
	for _, p := range s.Blocklist {
		if len(p) > 200 {
			return FieldError("blocklist", "Site %s: a blocked pattern is longer than 200 characters.", s.Name)
		}
	}
	return nil
}

// checkAckTexts bounds the acknowledgement wordings. Package ack checks
// their languages and placeholders before they get here; this keeps a
// caller that skipped it from storing megabytes.
func checkAckTexts(texts map[string]string) error {
	if len(texts) > 20 {
		return FieldError("ack_texts", "There are wordings for %d languages; at most 20 fit.", len(texts))
	}
	for lang, text := range texts {
		if len(lang) > 16 || len(text) > 4000 {
			return FieldError("ack_texts", "The wording for %q is too long.", truncate(lang, 16))
		}
	}
	return nil
}

func validOrigin(o string) bool {
	scheme, host, ok := strings.Cut(o, "://")
	return ok && (scheme == "http" || scheme == "https") && host != "" && !strings.ContainsAny(host, "/?#@ ")
}

// AllowsOrigin reports whether a browser page at origin may write to the
// site. self is the origin Parley is being reached at.
func (s Site) AllowsOrigin(origin, self string) bool {
	if origin == "" || origin == "null" {
		return false
	}
	for _, o := range s.Origins {
		if strings.EqualFold(o, origin) || (o == SelfOrigin && strings.EqualFold(origin, self)) {
			return true
		}
	}
	return false
}

// siteCache keeps every site in memory, with its blocklist compiled: each
// request names its site, and sites change rarely.
type siteCache struct {
	mu        sync.RWMutex
	byName    map[string]Site
	byID      map[int64]Site
	blocklist map[int64]blocklist
}

func newSiteCache() *siteCache {
	return &siteCache{byName: map[string]Site{}, byID: map[int64]Site{}, blocklist: map[int64]blocklist{}}
}

// Site returns the site named name. Errors: UnknownSite.
func (s *Service) Site(name string) (Site, error) {
	s.sites.mu.RLock()
	site, ok := s.sites.byName[name]
	s.sites.mu.RUnlock()
	if !ok {
		return Site{}, Errorf(UnknownSite, "There is no site named %q.", truncate(cleanLine(name), 64))
	}
	return site, nil
}

// SiteByID returns the site with the ID, if there is one.
func (s *Service) SiteByID(id int64) (Site, bool) {
	s.sites.mu.RLock()
	defer s.sites.mu.RUnlock()
	site, ok := s.sites.byID[id]
	return site, ok
}

// blocklistOf returns the compiled blocklist of a site.
func (s *Service) blocklistOf(id int64) blocklist {
	s.sites.mu.RLock()
	defer s.sites.mu.RUnlock()
	return s.sites.blocklist[id]
}

// Sites returns every site.
func (s *Service) Sites() []Site {
	s.sites.mu.RLock()
	defer s.sites.mu.RUnlock()
	out := make([]Site, 0, len(s.sites.byName))
	for _, site := range s.sites.byName {
		out = append(out, site)
	}
	return out
}

// LoadSites reads every site from the store into memory.
func (s *Service) LoadSites(ctx context.Context) error {
	sites, err := s.store.FindSites(ctx)
	if err != nil {
		return err
	}
	c := newSiteCache()
	for _, site := range sites {
		if site.EditWindow == 0 {
			site.EditWindow = s.editWindow
		}
		if site.Moderation == "" {
			site.Moderation = ModerationOff
		}
		c.byName[site.Name], c.byID[site.ID] = site, site
		c.blocklist[site.ID] = compileBlocklist(site.Blocklist)
	}
	s.sites.mu.Lock()
	s.sites.byName, s.sites.byID, s.sites.blocklist = c.byName, c.byID, c.blocklist
	s.sites.mu.Unlock()
	return nil
}

// SaveSite validates and stores a site (created, or updated by name), then
// reloads the sites. A zero EditWindow means the server's default.
func (s *Service) SaveSite(ctx context.Context, site Site) (Site, error) {
	if err := ValidateSite(site); err != nil {
		return Site{}, err
	}
	saved, err := s.store.SaveSite(ctx, site)
	if err != nil {
		return Site{}, err
	}
	return saved, s.LoadSites(ctx)
}
