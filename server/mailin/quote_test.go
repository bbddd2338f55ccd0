package mailin

import "testing"

func TestStripQuoted(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{
			name: "no quote",
			in:   "Thanks, fixed in 2.1.\n\nThe docs are updated too.\n",
			want: "Thanks, fixed in 2.1.\n\nThe docs are updated too.",
		},
		{
			name: "gt inside a line is kept",
			in:   "Use `a > b` here, and x -> y.\nAlso 3 > 2.\n\n> quoted\n",
			want: "Use `a > b` here, and x -> y.\nAlso 3 > 2.",
		},
		{
			name: "crlf",
			in:   "Line one\r\nLine two\r\n\r\nOn Tue, 3 Mar 2026 at 10:00, Parley <alerts@example.com> wrote:\r\n> Hi\r\n",
			want: "Line one\nLine two",
		},
		{
			name: "markdown kept",
			in:   "- one\n- two\n\n    code  \nhard break  \nend\n",
			want: "- one\n- two\n\n    code  \nhard break  \nend",
		},
		{
			name: "gmail",
			in: "Yes, that is a bug.\n\nOn Tue, 3 Mar 2026 at 10:00, Parley <alerts@example.com> wrote:\n\n" +
				"> A reader commented:\n> It is broken\n>\n",
			want: "Yes, that is a bug.",
		},
		{
			name: "gmail split header",
			in: "We will look into it.\n\nOn Tue, 3 Mar 2026 at 10:00, Parley Alerts for Example Blog <\n" +
				"alerts@example.com> wrote:\n\n> A reader commented:\n",
			want: "We will look into it.",
		},
		{
			name: "header without quotes below",
			in:   "Agreed.\n\nOn 3 Mar 2026, at 10:00, Parley wrote:\n\nA reader commented: it is broken\n",
			want: "Agreed.",
		},
		{
			name: "apple mail ios",
			in: "Fixed now.\n\nSent from my iPhone\n\n> On 3 Mar 2026, at 10:00, Parley <alerts@example.com> wrote:\n>\n" +
				"> A reader commented\n",
			want: "Fixed now.",
		},
		{
			name: "apple mail",
			in: "Fixed now.\n\n> On 3 Mar 2026, at 10:00, Parley <alerts@example.com> wrote:\n> \n> A reader commented\n" +
				"> \n",
			want: "Fixed now.",
		},
		{
			name: "thunderbird",
			in:   "Thanks!\n\nOn 3/3/26 10:00, Parley wrote:\n> A reader commented\n>> nested\n",
			want: "Thanks!",
		},
		{
			name: "thunderbird name only",
			in:   "Thanks!\n\nParley Alerts wrote:\n> A reader commented\n",
			want: "Thanks!",
		},
		{
			name: "own wrote line without quote is kept",
			in:   "This is what the reader wrote:\nthe page is blank.\nWe fixed it.",
			want: "This is what the reader wrote:\nthe page is blank.\nWe fixed it.",
		},
		{
			name: "outlook",
			in: "Done.\n\n________________________________\nFrom: Parley <alerts@example.com>\nSent: Tuesday, March 3, 2026 10:00 AM\n" +
				"To: Jane Doe <jane@example.com>\nSubject: New comment\n\nA reader commented\n",
			want: "Done.",
		},
		{
			name: "outlook original message",
			in:   "Done.\n\n-----Original Message-----\nFrom: Parley\nSent: Tuesday\n\nA reader commented\n",
			want: "Done.",
		},
		{
			name: "outlook headers without separator",
			in:   "Done.\n\nFrom: Parley <alerts@example.com>\nDate: Tuesday, 3 March 2026 at 10:00\nSubject: New\n\nText\n",
			want: "Done.",
		},
		{
			name: "outlook german",
			in:   "Erledigt.\n\n-----Ursprüngliche Nachricht-----\nVon: Parley <alerts@example.com>\nGesendet: Dienstag\n\nText\n",
			want: "Erledigt.",
		},
		{
			name: "outlook french",
			in:   "Fait.\n\n________________________________\nDe : Parley <alerts@example.com>\nEnvoyé : mardi 3 mars 2026 10:00\n",
			want: "Fait.",
		},
		{
			name: "outlook polish",
			in:   "Gotowe.\n\n________________________________\nOd: Parley <alerts@example.com>\nWysłane: wtorek, 3 marca 2026 10:00\n",
			want: "Gotowe.",
		},
		{
			name: "outlook greek",
			in:   "Έγινε.\n\n________________________________\nΑπό: Parley <alerts@example.com>\nΣτάλθηκε: Τρίτη, 3 Μαρτίου 2026 10:00 π.μ.\n",
			want: "Έγινε.",
		},
		{
			name: "underscores in own text",
			in:   "Before\n\n__________\n\nAfter",
			want: "Before\n\n__________\n\nAfter",
		},
		{
			name: "german",
			in:   "Danke!\n\nAm Di., 3. März 2026 um 10:00 Uhr schrieb Parley <alerts@example.com>:\n> Text\n",
			want: "Danke!",
		},
		{
			name: "french",
			in:   "Merci !\n\nLe mar. 3 mars 2026 à 10:00, Parley <alerts@example.com> a\u00a0écrit\u00a0:\n> Texte\n",
			want: "Merci !",
		},
		{
			name: "spanish",
			in:   "¡Gracias!\n\nEl mar, 3 mar 2026 a las 10:00, Parley (<alerts@example.com>) escribió:\n> Texto\n",
			want: "¡Gracias!",
		},
		{
			name: "greek",
			in:   "Ευχαριστώ!\n\nΣτις Τρί 3 Μαρ 2026 στις 10:00, ο/η Parley <alerts@example.com> έγραψε:\n> Κείμενο\n",
			want: "Ευχαριστώ!",
		},
		{
			name: "polish w dniu",
			in:   "Dzięki!\n\nW dniu wt., 3.03.2026 o 10:00 Parley <alerts@example.com> napisał(a):\n> Tekst\n",
			want: "Dzięki!",
		},
		{
			name: "polish pisze",
			in:   "Dzięki!\n\nDnia 3.03.2026 o 10:00 Parley <alerts@example.com> pisze:\n> Tekst\n",
			want: "Dzięki!",
		},
		{
			name: "croatian",
			in:   "Hvala!\n\nDana 3. 3. 2026. u 10:00, Parley <alerts@example.com> je napisao/napisala:\n> Tekst\n",
			want: "Hvala!",
		},
		{
			name: "croatian split",
			in:   "Hvala!\n\nuto, 3. ožu 2026. u 10:00 Parley Alerts <\nalerts@example.com> je napisala:\n> Tekst\n",
			want: "Hvala!",
		},
		{
			name: "signature",
			in:   "Fixed.\n\n-- \nJane Doe\nExample Blog\n",
			want: "Fixed.",
		},
		{
			name: "signature without its space",
			in:   "Fixed.\n--\nJane\n",
			want: "Fixed.",
		},
		{
			name: "sent from trailing",
			in:   "Fixed.\n\nGet Outlook for iOS\n",
			want: "Fixed.",
		},
		{
			name: "german device line",
			in:   "Erledigt.\n\nVon meinem iPhone gesendet\n",
			want: "Erledigt.",
		},
		{
			name: "sent from in the middle is kept",
			in:   "Sent from my iPhone\nis how the reader signed.",
			want: "Sent from my iPhone\nis how the reader signed.",
		},
		{
			name: "interleaved",
			in:   "> Is it fixed?\nYes.\n\n> When?\n\nToday.\n",
			want: "Yes.\n\nToday.",
		},
		{
			name: "only a quote",
			in:   "\n\nOn Tue, 3 Mar 2026, Parley <alerts@example.com> wrote:\n> Text\n",
			want: "",
		},
		{
			name: "only sent from",
			in:   "Sent from my iPhone",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := StripQuoted(tt.in); got != tt.want {
				t.Errorf("StripQuoted(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}
