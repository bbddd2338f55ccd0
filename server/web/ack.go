package web

import (
	"errors"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/ack"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/sla"
)

// Calendars gives a site's business calendar; *alert.Schedule is one.
type Calendars interface {
	// Calendar returns the site's calendar. Errors: Invalid.
	Calendar(site comment.Site) (*sla.Calendar, error)
}

// ackJSON is the acknowledgement of a new comment: what to tell the
// reader, and when they can expect an answer.
type ackJSON struct {
	Text          string    `json:"text"`
	Lang          string    `json:"lang"`
	ExpectedAt    time.Time `json:"expected_at"`
	TargetSeconds int64     `json:"target_seconds"`
}

// languageName names a language in the settings form, in itself.
func languageName(lang string) string {
	switch lang {
	case "en":
		return "English"
	case "de":
		return "Deutsch"
	case "el":
		return "Ελληνικά"
	case "es":
		return "Español"
	case "fr":
		return "Français"
	case "hr":
		return "Hrvatski"
	case "pl":
		return "Polski"
	}
	return lang
}

// acknowledge words the acknowledgement of a reader's new comment, in
// lang and the time zone tz the embed sent (either may be anything: an
// unknown language means English, a zone that does not load the site's).
// Staff replies get none, and so does a site whose business time does not
// parse (it is checked when saved) or a server without Calendars.
func (s *Server) acknowledge(site comment.Site, cm comment.Comment, lang, tz string) *ackJSON {
	if s.calendars == nil || cm.Official || cm.DueAt.IsZero() {
		return nil
	}
	cal, err := s.calendars.Calendar(site)
	if err != nil {
		s.log.Warn("no acknowledgement: the site's business time does not parse", "site", site.Name, "error", err)
		return nil
	}
	a := s.acks.Compose(ack.Input{Calendar: cal, Target: site.Target(), Due: cm.DueAt, Now: cm.CreatedAt,
		Lang: lang, Zone: tz, Name: cm.Author, Held: cm.Status != comment.StatusApproved, Texts: site.AckTexts})
	return &ackJSON{Text: a.Text, Lang: a.Lang, ExpectedAt: a.ExpectedAt, TargetSeconds: int64(a.Target / time.Second)}
}

// cleanAckTexts cleans and checks the wordings an owner sent; field names
// the field of a language for the error.
func (s *Server) cleanAckTexts(texts map[string]string, field func(lang string) string) (map[string]string, error) {
	out, err := s.acks.CleanTexts(texts)
	var te *ack.TextError
	if errors.As(err, &te) {
		return nil, comment.FieldError(field(te.Lang), "Acknowledgement (%s): %s.", languageName(te.Lang), te.Msg)
	}
	return out, err
}

// ackSetting is one language's acknowledgement in the settings form.
type ackSetting struct {
	Lang, Name string
	Text       string // the owner's; "" means the default
	Default    string
	Preview    string // what a reader would see now, in the site's zone
}

// ackSettings fills the settings form's acknowledgement section: each
// language's wording and a preview of it for a comment posted now.
func (s *Server) ackSettings(site comment.Site) []ackSetting {
	var cal *sla.Calendar
	if s.calendars != nil {
		cal, _ = s.calendars.Calendar(site)
	}
	out := make([]ackSetting, 0, len(ack.Languages()))
	for _, lang := range ack.Languages() {
		a := ackSetting{Lang: lang, Name: languageName(lang), Text: site.AckTexts[lang], Default: s.acks.Default(lang)}
		if cal != nil {
			a.Preview = s.acks.Compose(ack.Input{Calendar: cal, Target: site.Target(), Now: s.now(),
				Lang: lang, Name: "Alex", Texts: site.AckTexts}).Text
		}
		out = append(out, a)
	}
	return out
}

// ackForm reads the settings form's acknowledgement section (fields
// ack_LANG), or nil when the form has none (an older page).
func (s *Server) ackForm(c echo.Context) (map[string]string, error) {
	if c.FormValue("ack_section") == "" {
		return nil, nil
	}
	texts := map[string]string{}
	for _, lang := range ack.Languages() {
		texts[lang] = c.FormValue("ack_" + lang)
	}
	return s.cleanAckTexts(texts, func(lang string) string { return "ack_" + lang })
}
