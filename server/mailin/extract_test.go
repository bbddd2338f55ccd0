package mailin

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

// crlf gives a test message the line ends of the wire.
func crlf(s string) string {
	return strings.ReplaceAll(s, "\n", "\r\n")
}

// base64Lines encodes s in 76-character lines, as mailers do.
func base64Lines(s string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	var b strings.Builder
	for len(enc) > 76 {
		b.WriteString(enc[:76] + "\n")
		enc = enc[76:]
	}
	return b.String() + enc + "\n"
}

const greek = "Καλησπέρα,\nτο διορθώσαμε.\n\nΣτις Τρί 3 Μαρ 2026 στις 10:00, ο/η Parley <alerts@example.com> έγραψε:\n> Κείμενο\n"

func TestExtractText(t *testing.T) {
	tests := []struct {
		name, in, want string
		wantErr        error
	}{
		{
			name: "plain without content type",
			in:   "From: jane@example.com\nSubject: Re: x\n\nHello\n\n> quoted\n",
			want: "Hello\n\n> quoted\n",
		},
		{
			name: "multipart alternative with quoted-printable",
			in: `From: jane@example.com
Content-Type: multipart/alternative; boundary="b1"

--b1
Content-Type: text/plain; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

Caf=C3=A9 is open. This line is long enough that it has to be wrapped by a=
 soft line break.
--b1
Content-Type: text/html; charset="UTF-8"
Content-Transfer-Encoding: quoted-printable

<div>Caf=C3=A9 is <b>open</b>.</div>
--b1--
`,
			want: "Café is open. This line is long enough that it has to be wrapped by a soft line break.",
		},
		{
			name: "base64 utf-8 greek",
			in: "From: jane@example.com\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" +
				base64Lines(strings.ReplaceAll(greek, "\n", "\r\n")),
			want: greek,
		},
		{
			name: "html only",
			in: `From: jane@example.com
Content-Type: text/html; charset=utf-8

<html><head><style>p { color: red }</style><title>x</title></head><body>
<div dir="ltr">Fish &amp; chips, &lt;b&gt; is&nbsp;bold &#8212; ok.<br>
Second   line</div><br>
<div class="gmail_quote"><div class="gmail_attr">On Tue, 3 Mar 2026 at 10:00, Parley &lt;<a href="mailto:alerts@example.com">alerts@example.com</a>&gt; wrote:<br></div>
<blockquote class="gmail_quote" style="margin:0"><div>A reader commented</div></blockquote></div>
</body></html>
`,
			want: "Fish & chips, <b> is bold — ok.\nSecond line\n\nOn Tue, 3 Mar 2026 at 10:00, Parley <alerts@example.com> wrote:\n\n> A reader commented",
		},
		{
			name: "iso-8859-1",
			in: "From: jane@example.com\nContent-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n" +
				"Gr=FC=DFe aus K=F6ln\n",
			want: "Grüße aus Köln\n",
		},
		{
			name: "windows-1252 from Outlook",
			in: "From: jane@example.com\nContent-Type: text/plain; charset=\"Windows-1252\"\nContent-Transfer-Encoding: quoted-printable\n\n" +
				"=93Thanks=94 =96 it costs 5=80, don=92t worry. Gr=FC=DFe=85\n",
			want: "“Thanks” – it costs 5€, don’t worry. Grüße…\n",
		},
		{
			name: "iso-8859-1 eight bit",
			in:   "From: jane@example.com\nContent-Type: text/plain; charset=latin1\nContent-Transfer-Encoding: 8bit\n\nGr\xfc\xdfe\n",
			want: "Grüße\n",
		},
		{
			name: "nested multipart mixed with attachment",
			in: `From: jane@example.com
Content-Type: multipart/mixed; boundary=outer

--outer
Content-Type: text/plain; name=notes.txt
Content-Disposition: attachment; filename=notes.txt

not the reply
--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/html; charset=utf-8

<p>html reply</p>
--inner
Content-Type: text/plain; charset=utf-8

plain reply
--inner--
--outer
Content-Type: application/pdf; name=a.pdf
Content-Disposition: attachment; filename=a.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--outer--
`,
			want: "plain reply",
		},
		{
			name: "multipart related html",
			in: `From: jane@example.com
Content-Type: multipart/related; boundary=r

--r
Content-Type: text/html; charset=us-ascii

<p>See <i>this</i>:</p><p>done</p>
--r
Content-Type: image/png
Content-Transfer-Encoding: base64

iVBORw0KGgo=
--r--
`,
			want: "See this:\n\ndone",
		},
		{
			name:    "unsupported charset",
			in:      "From: jane@example.com\nContent-Type: text/plain; charset=koi8-r\n\n\xf0\xd2\xc9\xd7\xc5\xd4\n",
			wantErr: errCharset,
		},
		{
			name: "unsupported charset in the unused alternative",
			in: `From: jane@example.com
Content-Type: multipart/alternative; boundary=b

--b
Content-Type: text/plain; charset=utf-8

fine
--b
Content-Type: text/html; charset=koi8-r

<p>skipped</p>
--b--
`,
			want: "fine",
		},
		{
			name: "no text part",
			in:   "From: jane@example.com\nContent-Type: image/png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n",
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, h, err := ExtractText(strings.NewReader(crlf(tt.in)))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("ExtractText error = %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if h.Get("From") != "jane@example.com" {
				t.Errorf("From header = %q", h.Get("From"))
			}
			if got != tt.want {
				t.Errorf("ExtractText\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}

func TestHTMLText(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"entities", "a &lt; b &amp;&amp; c &gt; d &quot;q&quot; &#39;s&#39;", `a < b && c > d "q" 's'`},
		{"gmail lines", "<div>one</div><div><br></div><div>two</div>", "one\n\ntwo"},
		{"paragraphs", "<p>one</p>\n<p>two</p>", "one\n\ntwo"},
		{"nested quotes", "reply<blockquote>outer<blockquote>inner</blockquote></blockquote>",
			"reply\n\n> outer\n>\n> > inner"},
		{"outlook hr", "Done<hr><b>From:</b> Parley<br><b>Sent:</b> Tuesday", "Done\n________________________________\nFrom: Parley\nSent: Tuesday"},
		{"quoted attribute with gt", `<a title="a>b" href="x">link</a> text`, "link text"},
		{"comment and script", "<!-- <p>hidden</p> -->shown<script>alert('<p>x</p>')</script>", "shown"},
		{"lone lt", "1 < 2 and 3 <= 4", "1 < 2 and 3 <= 4"},
		{"pre keeps spaces", "<pre>a  b\n  c</pre>", "a  b\n  c"},
		{"list", "<ul><li>one</li><li>two</li></ul>", "one\ntwo"},
		{"closing tag with space", "<style>a{}</style >after", "after"},
		{"head is not header", "<head><title>t</title></head><header>kept</header>", "kept"},
		{"unclosed style", "before<style>a{}", "before"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := htmlText(tt.in); got != tt.want {
				t.Errorf("htmlText(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestHTMLTextDeepQuotes(t *testing.T) {
	in := strings.Repeat("<blockquote>x<br>", 20000)
	if got := htmlText(in); len(got) > 100*20000 {
		t.Errorf("htmlText of deep quotes gave %d bytes", len(got))
	}
}
