package smtptest

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, data               string
		subject, text, html, err string
	}{
		{
			name:    "plain ascii",
			data:    "Subject: Hi\r\n\r\nline 1\r\nline 2\r\n",
			subject: "Hi", text: "line 1\nline 2\n",
		},
		{
			name: "quoted-printable utf-8 with encoded subject",
			data: "Subject: =?utf-8?q?Nowy_komentarz_=E2=80=93_Za=C5=BC=C3=B3=C5=82=C4=87?=\r\n" +
				"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
				"G=C4=99=C5=9Bl=C4=85 ja=C5=BA=C5=84 and a soft=\r\n break\r\n",
			subject: "Nowy komentarz – Zażółć", text: "Gęślą jaźń and a soft break\n",
		},
		{
			name: "base64 with folded B subject",
			data: "Subject: =?utf-8?b?zprOsc67zrfPg8+Azq3Pgc6x?=\r\n =?utf-8?b?IM+Dzrkh?=\r\n" +
				"Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				"zprOsc67zrfPg8+Azq3Pgc6x\r\nIM+Dzrkh\r\n",
			subject: "Καλησπέρα σι!", text: "Καλησπέρα σι!",
		},
		{
			name: "latin-1",
			data: "Subject: =?iso-8859-1?q?Caf=E9?=\r\nContent-Type: text/plain; charset=iso-8859-1\r\n" +
				"Content-Transfer-Encoding: quoted-printable\r\n\r\nCaf=E9\r\n",
			subject: "Café", text: "Café\n",
		},
		{
			name: "nested multipart with attachment",
			data: "Subject: x\r\nContent-Type: multipart/mixed; boundary=outer\r\n\r\n" +
				"--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n" +
				"--inner\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n" +
				"=C5=A0to ima novo?\r\n" +
				"--inner\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" +
				"PHA+xaB0byBpbWEgbm92bz88L3A+\r\n" +
				"--inner--\r\n" +
				"--outer\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nnot the body\r\n" +
				"--outer--\r\n",
			subject: "x", text: "Što ima novo?", html: "<p>Što ima novo?</p>",
		},
		{
			name:    "no boundary",
			data:    "Subject: x\r\nContent-Type: multipart/alternative\r\n\r\nbody\r\n",
			subject: "x", err: "no boundary",
		},
		{
			name: "no header end",
			data: "Subject x",
			err:  "read header",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := parse("a@example.com", []string{"b@example.com"}, []byte(tt.data))
			if m.Subject != tt.subject || m.Text != tt.text || m.HTML != tt.html {
				t.Errorf("subject %q, text %q, html %q; want %q, %q, %q", m.Subject, m.Text, m.HTML, tt.subject, tt.text, tt.html)
			}
			if (tt.err == "") != (m.Err == nil) || (m.Err != nil && !strings.Contains(m.Err.Error(), tt.err)) {
				t.Errorf("err %v, want %q", m.Err, tt.err)
			}
		})
	}
}
