package ack_test

import (
	"testing"
	"time"

	"github.com/parleyhq/parley/server/ack"
	"github.com/parleyhq/parley/server/sla"
)

// calendar builds a site's calendar from its settings' text.
func calendar(tb testing.TB, zone, hours, holidays string) *sla.Calendar {
	tb.Helper()
	loc, err := time.LoadLocation(zone)
	if err != nil {
		tb.Fatal(err)
	}
	week, err := sla.ParseHours(hours)
	if err != nil {
		tb.Fatal(err)
	}
	hs, err := sla.ParseHolidays(holidays)
	if err != nil {
		tb.Fatal(err)
	}
	c, err := sla.New(loc, week, hs)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

// at reads "2026-11-27 16:30 +01:00": exact, so that no expectation goes
// through the code under test.
func at(tb testing.TB, s string) time.Time {
	tb.Helper()
	t, err := time.Parse("2006-01-02 15:04 -07:00", s)
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func TestCompose(t *testing.T) {
	const weekdays = "mon-fri 09:00-17:00"
	berlin := calendar(t, "Europe/Berlin", weekdays, "")
	// Monday 30 November 2026 is a holiday.
	holiday := calendar(t, "Europe/Berlin", weekdays, "2026-11-30 Founders' day")
	xmas := calendar(t, "Europe/Berlin", weekdays, "2026-12-24..2026-12-28 Christmas")
	athens := calendar(t, "Europe/Athens", "mon-fri 09:00-17:00\nsat 10:00-14:00", "")
	warsaw := calendar(t, "Europe/Warsaw", weekdays, "2026-12-31..2027-01-06 New Year")
	tests := []struct {
		name     string
		cal      *sla.Calendar
		target   time.Duration
		now      string
		lang, tz string
		held     bool
		author   string
		want     string
	}{
		{"today", berlin, 4 * time.Hour, "2026-11-23 10:00 +01:00", "en", "Europe/Berlin", false, "Anna",
			"Thanks for your comment, Anna! Our team usually answers within 4 hours; expect a reply by 14:00 today."},
		{"tomorrow", berlin, 4 * time.Hour, "2026-11-23 15:00 +01:00", "en", "Europe/Berlin", false, "Anna",
			"Thanks for your comment, Anna! Our team usually answers within 4 hours; expect a reply by 11:00 tomorrow."},
		{"friday afternoon, monday holiday", holiday, 4 * time.Hour, "2026-11-27 16:30 +01:00", "en", "Europe/Berlin", false, "Anna",
			"Thanks for your comment, Anna! Our team usually answers within 4 hours; expect a reply by Tuesday 12:30."},
		{"friday afternoon, monday holiday, greek", holiday, 4 * time.Hour, "2026-11-27 16:30 +01:00", "el", "Europe/Berlin", false, "Άννα",
			"Ευχαριστούμε για το σχόλιό σας, Άννα! Η ομάδα μας συνήθως απαντά μέσα σε 4 ώρες· περιμένετε απάντηση έως την Τρίτη στις 12:30."},
		{"friday afternoon, polish", berlin, 4 * time.Hour, "2026-11-27 16:30 +01:00", "pl", "Europe/Warsaw", false, "Ania",
			"Dziękujemy za komentarz, Ania! Nasz zespół zwykle odpowiada w ciągu 4 godzin. Spodziewaj się odpowiedzi w poniedziałek do 12:30."},
		{"weekend, german", berlin, 4 * time.Hour, "2026-11-28 11:00 +01:00", "de", "Europe/Berlin", false, "Jörg",
			"Danke für Ihren Kommentar, Jörg! Unser Team antwortet in der Regel innerhalb von 4 Stunden; Sie können bis Montag, 13:00 Uhr mit einer Antwort rechnen."},
		{"weekend, croatian", berlin, 4 * time.Hour, "2026-11-29 20:00 +01:00", "hr", "Europe/Zagreb", false, "Ivana",
			"Hvala na komentaru, Ivana! Naš tim obično odgovara unutar 4 sata. Očekujte odgovor sutra do 13:00."},
		{"holiday, croatian", holiday, 2 * time.Hour, "2026-11-28 11:00 +01:00", "hr", "Europe/Zagreb", false, "Ivana",
			"Hvala na komentaru, Ivana! Naš tim obično odgovara unutar 2 sata. Očekujte odgovor u utorak do 11:00."},
		{"reader in new york", berlin, 4 * time.Hour, "2026-11-23 10:00 +01:00", "hr", "America/New_York", false, "Ivana",
			"Hvala na komentaru, Ivana! Naš tim obično odgovara unutar 4 sata. Očekujte odgovor danas do 08:00."},
		{"reader in tokyo: tomorrow there", berlin, 4 * time.Hour, "2026-11-23 15:00 +01:00", "en", "Asia/Tokyo", false, "Kenji",
			"Thanks for your comment, Kenji! Our team usually answers within 4 hours; expect a reply by 19:00 tomorrow."},
		{"no reader zone: the site's, named", berlin, 4 * time.Hour, "2026-11-23 10:00 +01:00", "en", "", false, "Anna",
			"Thanks for your comment, Anna! Our team usually answers within 4 hours; expect a reply by 14:00 CET today."},
		{"bad reader zone: the site's, named", berlin, 4 * time.Hour, "2026-11-23 10:00 +01:00", "de", "Mars/Olympus", false, "Anna",
			"Danke für Ihren Kommentar, Anna! Unser Team antwortet in der Regel innerhalb von 4 Stunden; Sie können heute bis 14:00 Uhr CET mit einer Antwort rechnen."},
		{"Local is the server's zone, not the reader's", berlin, 4 * time.Hour, "2026-11-23 10:00 +01:00", "en", "Local", false, "",
			"Thanks for your comment! Our team usually answers within 4 hours; expect a reply by 14:00 CET today."},
		{"clocks go back over the weekend", berlin, 4 * time.Hour, "2026-10-23 16:00 +02:00", "en", "", false, "Anna",
			"Thanks for your comment, Anna! Our team usually answers within 4 hours; expect a reply by Monday 12:00 CET."},
		{"clocks go back, reader in UTC", berlin, 4 * time.Hour, "2026-10-23 16:00 +02:00", "en", "UTC", false, "Anna",
			"Thanks for your comment, Anna! Our team usually answers within 4 hours; expect a reply by Monday 11:00."},
		{"clocks go forward, greek", athens, 3 * time.Hour, "2026-03-28 13:00 +02:00", "el", "Europe/Athens", false, "Νίκος",
			"Ευχαριστούμε για το σχόλιό σας, Νίκος! Η ομάδα μας συνήθως απαντά μέσα σε 3 ώρες· περιμένετε απάντηση έως τη Δευτέρα στις 11:00."},
		{"site zone without abbreviation", calendar(t, "America/Sao_Paulo", weekdays, ""), 4 * time.Hour, "2026-11-23 10:00 -03:00", "en", "", false, "Ana",
			"Thanks for your comment, Ana! Our team usually answers within 4 hours; expect a reply by 14:00 UTC-03:00 today."},
		{"christmas: a date", xmas, 16 * time.Hour, "2026-12-22 16:00 +01:00", "en", "Europe/Berlin", false, "Anna",
			"Thanks for your comment, Anna! Our team usually answers within 2 business days; expect a reply by Tuesday 29 December, 16:00."},
		{"christmas, polish", xmas, 16 * time.Hour, "2026-12-22 16:00 +01:00", "pl", "Europe/Warsaw", false, "Ania",
			"Dziękujemy za komentarz, Ania! Nasz zespół zwykle odpowiada w ciągu 2 dni roboczych. Spodziewaj się odpowiedzi we wtorek, 29 grudnia, do 16:00."},
		{"christmas, croatian", xmas, 8 * time.Hour, "2026-12-23 10:00 +01:00", "hr", "Europe/Zagreb", false, "Ivana",
			"Hvala na komentaru, Ivana! Naš tim obično odgovara unutar 1 radnog dana. Očekujte odgovor u utorak do 10:00."},
		{"christmas, german date", xmas, 16 * time.Hour, "2026-12-22 16:00 +01:00", "de", "Europe/Berlin", false, "Jörg",
			"Danke für Ihren Kommentar, Jörg! Unser Team antwortet in der Regel innerhalb von 2 Werktagen; Sie können bis Dienstag, 29. Dezember, 16:00 Uhr mit einer Antwort rechnen."},
		{"new year: the year is named", warsaw, 8 * time.Hour, "2026-12-30 12:00 +01:00", "pl", "Europe/Warsaw", false, "Ania",
			"Dziękujemy za komentarz, Ania! Nasz zespół zwykle odpowiada w ciągu 1 dnia roboczego. Spodziewaj się odpowiedzi w czwartek, 7 stycznia 2027, do 12:00."},
		{"new year, greek", warsaw, 8 * time.Hour, "2026-12-30 12:00 +01:00", "el", "Europe/Athens", false, "Νίκος",
			"Ευχαριστούμε για το σχόλιό σας, Νίκος! Η ομάδα μας συνήθως απαντά μέσα σε 1 εργάσιμη ημέρα· περιμένετε απάντηση έως την Πέμπτη 7 Ιανουαρίου 2027, στις 13:00."},
		{"new year, croatian", warsaw, 8 * time.Hour, "2026-12-30 12:00 +01:00", "hr", "Europe/Zagreb", false, "Ivana",
			"Hvala na komentaru, Ivana! Naš tim obično odgovara unutar 1 radnog dana. Očekujte odgovor u četvrtak, 7. siječnja 2027., do 12:00."},
		{"held, english", berlin, 4 * time.Hour, "2026-11-23 10:00 +01:00", "en", "Europe/Berlin", true, "Anna",
			"Thanks for your comment, Anna! Our team usually answers within 4 hours; expect a reply by 14:00 today. Your comment will appear once a moderator has reviewed it."},
		{"held, spanish, at one o'clock", calendar(t, "Europe/Madrid", "mon-sun 00:00-24:00", ""), 2 * time.Hour, "2026-11-23 23:00 +01:00", "es-ES", "Europe/Madrid", true, "Lucía",
			"¡Gracias por tu comentario, Lucía! Nuestro equipo suele responder en un plazo de 2 horas; espera una respuesta mañana antes de la 01:00. Tu comentario aparecerá cuando lo haya revisado un moderador."},
		{"french, half an hour", berlin, 30 * time.Minute, "2026-11-23 10:00 +01:00", "fr", "Europe/Paris", false, "Chloé",
			"Merci pour votre commentaire, Chloé\u202f! Notre équipe répond généralement sous 30\u00a0minutes\u202f; attendez-vous à une réponse aujourd’hui avant 10\u00a0h\u00a030."},
		{"french, a week later", berlin, 6 * 8 * time.Hour, "2026-11-23 10:00 +01:00", "fr", "Europe/Paris", false, "Chloé",
			"Merci pour votre commentaire, Chloé\u202f! Notre équipe répond généralement sous 6\u00a0jours ouvrés\u202f; attendez-vous à une réponse le mardi 1er décembre avant 10\u00a0h\u00a000."},
		{"unknown language: english", berlin, 90 * time.Minute, "2026-11-23 10:00 +01:00", "tlh", "Europe/Berlin", false, "Worf",
			"Thanks for your comment, Worf! Our team usually answers within 90 minutes; expect a reply by 11:30 today."},
		{"region tag", berlin, time.Hour, "2026-11-23 10:00 +01:00", "el-GR", "Europe/Athens", false, "",
			"Ευχαριστούμε για το σχόλιό σας! Η ομάδα μας συνήθως απαντά μέσα σε 1 ώρα· περιμένετε απάντηση σήμερα έως τις 12:00."},
		{"uneven week: the usual day", athens, 16 * time.Hour, "2026-11-23 10:00 +02:00", "en", "Europe/Athens", false, "Anna",
			"Thanks for your comment, Anna! Our team usually answers within 2 business days; expect a reply by Wednesday 10:00."},
	}
	c := ack.New()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := at(t, tt.now)
			due := tt.cal.Add(now, tt.target)
			got := c.Compose(ack.Input{Calendar: tt.cal, Target: tt.target, Due: due, Now: now, Lang: tt.lang, Zone: tt.tz,
				Name: tt.author, Held: tt.held})
			if got.Text != tt.want {
				t.Errorf("text\n got %q\nwant %q", got.Text, tt.want)
			}
			if !got.ExpectedAt.Equal(due) || got.ExpectedAt.Location() != time.UTC || got.Target != tt.target {
				t.Errorf("expected at %v target %v, want %v (UTC) and %v", got.ExpectedAt, got.Target, due, tt.target)
			}
		})
	}
}

func TestComposeTargets(t *testing.T) {
	cal := calendar(t, "UTC", "mon-fri 09:00-17:00", "")
	tests := []struct {
		lang   string
		target time.Duration
		want   string
	}{
		{"en", time.Minute, "within 1 minute"},
		{"en", 45 * time.Minute, "within 45 minutes"},
		{"en", time.Hour, "within 1 hour"},
		{"en", 150 * time.Minute, "within 150 minutes"},
		{"en", 4*time.Hour + 30*time.Minute, "within 5 hours"},
		{"en", 8 * time.Hour, "within 1 business day"},
		{"en", 12 * time.Hour, "within 12 hours"},
		{"pl", time.Minute, "w ciągu 1 minuty"},
		{"pl", 2 * time.Hour, "w ciągu 2 godzin"},
		{"pl", 5 * time.Hour, "w ciągu 5 godzin"},
		{"pl", 24 * time.Hour, "w ciągu 3 dni roboczych"},
		{"hr", time.Hour, "unutar 1 sata"},
		{"hr", 3 * time.Hour, "unutar 3 sata"},
		{"hr", 5 * time.Hour, "unutar 5 sati"},
		{"hr", 11 * time.Hour, "unutar 11 sati"},
		{"hr", 21 * time.Hour, "unutar 21 sata"},
		{"hr", 2 * time.Minute, "unutar 2 minute"},
		{"hr", 25 * time.Minute, "unutar 25 minuta"},
		{"hr", 16 * time.Hour, "unutar 2 radna dana"},
		{"hr", 40 * time.Hour, "unutar 5 radnih dana"},
		{"el", 30 * time.Minute, "μέσα σε 30 λεπτά"},
		{"el", 8 * time.Hour, "μέσα σε 1 εργάσιμη ημέρα"},
		{"de", time.Hour, "innerhalb von 1 Stunde"},
		{"de", 8 * time.Hour, "innerhalb von 1 Werktag"},
		{"es", 24 * time.Hour, "en un plazo de 3 días laborables"},
		{"fr", time.Hour, "sous 1\u00a0heure"},
	}
	c := ack.New()
	now := at(t, "2026-11-23 10:00 +00:00")
	for _, tt := range tests {
		t.Run(tt.lang+"/"+tt.target.String(), func(t *testing.T) {
			got := c.Compose(ack.Input{Calendar: cal, Target: tt.target, Now: now, Lang: tt.lang,
				Texts: map[string]string{tt.lang: "{target}"}})
			if got.Text != tt.want {
				t.Errorf("got %q, want %q", got.Text, tt.want)
			}
		})
	}
}

func TestComposeOwnerText(t *testing.T) {
	cal := calendar(t, "Europe/Warsaw", "mon-fri 09:00-17:00", "")
	now := at(t, "2026-11-27 16:30 +01:00")
	texts := map[string]string{"pl": "Dzięki, {name}! Odpowiemy {target}, czyli {expected}.", "de": ""}
	c := ack.New()
	tests := []struct {
		name, lang, author string
		held               bool
		want               string
	}{
		{"owner's", "pl", "Ania", false, "Dzięki, Ania! Odpowiemy w ciągu 4 godzin, czyli w poniedziałek do 12:30."},
		{"owner's, held", "pl", "Ania", true,
			"Dzięki, Ania! Odpowiemy w ciągu 4 godzin, czyli w poniedziałek do 12:30. Komentarz pojawi się, gdy sprawdzi go moderator."},
		// A name that looks like a placeholder stays a name.
		{"name is text", "pl", "{expected}", false, "Dzięki, {expected}! Odpowiemy w ciągu 4 godzin, czyli w poniedziałek do 12:30."},
		{"empty: the default", "de", "Jörg", false,
			"Danke für Ihren Kommentar, Jörg! Unser Team antwortet in der Regel innerhalb von 4 Stunden; Sie können bis Montag, 12:30 Uhr mit einer Antwort rechnen."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Compose(ack.Input{Calendar: cal, Target: 4 * time.Hour, Now: now, Lang: tt.lang, Zone: "Europe/Warsaw",
				Name: tt.author, Held: tt.held, Texts: texts})
			if got.Text != tt.want {
				t.Errorf("got  %q\nwant %q", got.Text, tt.want)
			}
		})
	}
}
