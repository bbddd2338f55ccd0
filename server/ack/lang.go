package ack

import (
	"fmt"
	"strings"
)

// language is how one language words an acknowledgement. Its phrases use
// {time} (the clock, as clock writes it), {day} (the weekday, as weekdays
// holds it) and {date} (day and month, as date writes it).
type language struct {
	// approved is the default wording; held is the sentence added when the
	// comment waits for a moderator.
	approved, held string
	// within words a target: {n} and {unit}.
	within string
	// units are minute, hour and business day, each in the forms plural
	// picks (after the preposition of within, so in its case).
	units [3][3]string
	// plural picks the form of a unit for n: 0 one, 1 few, 2 other.
	plural func(n int) int
	// today, tomorrow, weekday and later word the expected time when it
	// falls today, tomorrow, within six days, or after.
	today, tomorrow, weekday, later string
	// weekdays, indexed by time.Weekday, in the form weekday and later use
	// (Polish "w poniedziałek", Greek "τη Δευτέρα").
	weekdays [7]string
	// months, January first, in the form a date uses (the genitive where
	// the language has one).
	months [12]string
	// date writes day d of month m (1-based) and, when not "", the year.
	date func(l *language, d, m int, year string) string
	// clock writes a time of day.
	clock func(h, m int) string
}

const (
	unitMinute = iota
	unitHour
	unitDay
)

func oneOther(n int) int {
	if n == 1 {
		return 0
	}
	return 2
}

// slavic is the Croatian rule: 1, 21, 31… one; 2–4, 22–24… few; the rest other.
func slavic(n int) int {
	switch {
	case n%10 == 1 && n%100 != 11:
		return 0
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		return 1
	}
	return 2
}

func clock24(h, m int) string { return fmt.Sprintf("%02d:%02d", h, m) }

// dayMonth writes "2 December" style dates with sep after the day ("2."
// in German and Croatian) and the year after the month.
func dayMonth(sep, yearSuffix string) func(l *language, d, m int, year string) string {
	return func(l *language, d, m int, year string) string {
		s := fmt.Sprintf("%d%s %s", d, sep, l.months[m-1])
		if year != "" {
			s += " " + year + yearSuffix
		}
		return s
	}
}

// languages holds every language an acknowledgement speaks, the embed's.
func languages() map[string]*language {
	return map[string]*language{
		"en": {
			approved: "Thanks for your comment, {name}! Our team usually answers {target}; expect a reply {expected}.",
			held:     "Your comment will appear once a moderator has reviewed it.",
			within:   "within {n} {unit}",
			units:    [3][3]string{{"minute", "minutes", "minutes"}, {"hour", "hours", "hours"}, {"business day", "business days", "business days"}},
			plural:   oneOther,
			today:    "by {time} today", tomorrow: "by {time} tomorrow", weekday: "by {day} {time}", later: "by {day} {date}, {time}",
			weekdays: [7]string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"},
			months:   [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
			date:     dayMonth("", ""), clock: clock24,
		},
		"de": {
			approved: "Danke für Ihren Kommentar, {name}! Unser Team antwortet in der Regel {target}; Sie können {expected} mit einer Antwort rechnen.",
			held:     "Ihr Kommentar erscheint, sobald die Moderation ihn geprüft hat.",
			within:   "innerhalb von {n} {unit}",
			units:    [3][3]string{{"Minute", "Minuten", "Minuten"}, {"Stunde", "Stunden", "Stunden"}, {"Werktag", "Werktagen", "Werktagen"}},
			plural:   oneOther,
			today:    "heute bis {time}", tomorrow: "morgen bis {time}", weekday: "bis {day}, {time}", later: "bis {day}, {date}, {time}",
			weekdays: [7]string{"Sonntag", "Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag"},
			months:   [12]string{"Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"},
			date:     dayMonth(".", ""),
			clock:    func(h, m int) string { return clock24(h, m) + " Uhr" },
		},
		"el": {
			approved: "Ευχαριστούμε για το σχόλιό σας, {name}! Η ομάδα μας συνήθως απαντά {target}· περιμένετε απάντηση {expected}.",
			held:     "Το σχόλιό σας θα εμφανιστεί μόλις το ελέγξει ένας συντονιστής.",
			within:   "μέσα σε {n} {unit}",
			units:    [3][3]string{{"λεπτό", "λεπτά", "λεπτά"}, {"ώρα", "ώρες", "ώρες"}, {"εργάσιμη ημέρα", "εργάσιμες ημέρες", "εργάσιμες ημέρες"}},
			plural:   oneOther,
			today:    "σήμερα έως τις {time}", tomorrow: "αύριο έως τις {time}", weekday: "έως {day} στις {time}", later: "έως {day} {date}, στις {time}",
			weekdays: [7]string{"την Κυριακή", "τη Δευτέρα", "την Τρίτη", "την Τετάρτη", "την Πέμπτη", "την Παρασκευή", "το Σάββατο"},
			months: [12]string{"Ιανουαρίου", "Φεβρουαρίου", "Μαρτίου", "Απριλίου", "Μαΐου", "Ιουνίου", "Ιουλίου", "Αυγούστου",
				"Σεπτεμβρίου", "Οκτωβρίου", "Νοεμβρίου", "Δεκεμβρίου"},
			date: dayMonth("", ""), clock: clock24,
		},
		"es": {
			approved: "¡Gracias por tu comentario, {name}! Nuestro equipo suele responder {target}; espera una respuesta {expected}.",
			held:     "Tu comentario aparecerá cuando lo haya revisado un moderador.",
			within:   "en un plazo de {n} {unit}",
			units:    [3][3]string{{"minuto", "minutos", "minutos"}, {"hora", "horas", "horas"}, {"día laborable", "días laborables", "días laborables"}},
			plural:   oneOther,
			today:    "hoy antes de {time}", tomorrow: "mañana antes de {time}", weekday: "el {day} antes de {time}", later: "el {day} {date} antes de {time}",
			weekdays: [7]string{"domingo", "lunes", "martes", "miércoles", "jueves", "viernes", "sábado"},
			months:   [12]string{"enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"},
			date: func(l *language, d, m int, year string) string {
				s := fmt.Sprintf("%d de %s", d, l.months[m-1])
				if year != "" {
					s += " de " + year
				}
				return s
			},
			clock: func(h, m int) string { // "la 01:00", "las 15:00"
				if h == 1 {
					return "la " + clock24(h, m)
				}
				return "las " + clock24(h, m)
			},
		},
		"fr": {
			approved: "Merci pour votre commentaire, {name}\u202f! Notre équipe répond généralement {target}\u202f; attendez-vous à une réponse {expected}.",
			held:     "Votre commentaire apparaîtra dès qu’un modérateur l’aura relu.",
			within:   "sous {n}\u00a0{unit}",
			units:    [3][3]string{{"minute", "minutes", "minutes"}, {"heure", "heures", "heures"}, {"jour ouvré", "jours ouvrés", "jours ouvrés"}},
			plural: func(n int) int {
				if n <= 1 {
					return 0
				}
				return 2
			},
			today: "aujourd’hui avant {time}", tomorrow: "demain avant {time}", weekday: "{day} avant {time}", later: "le {day} {date} avant {time}",
			weekdays: [7]string{"dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"},
			months:   [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
			date: func(l *language, d, m int, year string) string {
				day := fmt.Sprint(d)
				if d == 1 {
					day = "1er"
				}
				s := day + " " + l.months[m-1]
				if year != "" {
					s += " " + year
				}
				return s
			},
			clock: func(h, m int) string { return fmt.Sprintf("%d\u00a0h\u00a0%02d", h, m) },
		},
		"hr": {
			approved: "Hvala na komentaru, {name}! Naš tim obično odgovara {target}. Očekujte odgovor {expected}.",
			held:     "Vaš će se komentar prikazati nakon što ga pregleda moderator.",
			within:   "unutar {n} {unit}",
			units:    [3][3]string{{"minute", "minute", "minuta"}, {"sata", "sata", "sati"}, {"radnog dana", "radna dana", "radnih dana"}},
			plural:   slavic,
			today:    "danas do {time}", tomorrow: "sutra do {time}", weekday: "{day} do {time}", later: "{day}, {date}, do {time}",
			weekdays: [7]string{"u nedjelju", "u ponedjeljak", "u utorak", "u srijedu", "u četvrtak", "u petak", "u subotu"},
			months: [12]string{"siječnja", "veljače", "ožujka", "travnja", "svibnja", "lipnja", "srpnja", "kolovoza",
				"rujna", "listopada", "studenoga", "prosinca"},
			date: dayMonth(".", "."), clock: clock24,
		},
		"pl": {
			approved: "Dziękujemy za komentarz, {name}! Nasz zespół zwykle odpowiada {target}. Spodziewaj się odpowiedzi {expected}.",
			held:     "Komentarz pojawi się, gdy sprawdzi go moderator.",
			within:   "w ciągu {n} {unit}",
			// After "w ciągu" every number but 1 takes the genitive plural.
			units:  [3][3]string{{"minuty", "minut", "minut"}, {"godziny", "godzin", "godzin"}, {"dnia roboczego", "dni roboczych", "dni roboczych"}},
			plural: oneOther,
			today:  "dziś do {time}", tomorrow: "jutro do {time}", weekday: "{day} do {time}", later: "{day}, {date}, do {time}",
			weekdays: [7]string{"w niedzielę", "w poniedziałek", "we wtorek", "w środę", "w czwartek", "w piątek", "w sobotę"},
			months: [12]string{"stycznia", "lutego", "marca", "kwietnia", "maja", "czerwca", "lipca", "sierpnia",
				"września", "października", "listopada", "grudnia"},
			date: dayMonth("", ""), clock: clock24,
		},
	}
}

// fill replaces {key} in s by vals[key].
func fill(s string, vals map[string]string) string {
	pairs := make([]string, 0, 2*len(vals))
	for k, v := range vals {
		pairs = append(pairs, "{"+k+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}
