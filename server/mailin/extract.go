package mailin

import (
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
)

// errCharset marks a text part in a charset this package does not decode.
// The mail is refused rather than posted with garbled text.
var errCharset = errors.New("mailin: unsupported charset")

// maxDepth bounds the nesting of multiparts, which costs a few bytes per
// level to send.
const maxDepth = 16

// ExtractText parses a message and returns its text and its header. It takes
// the text/plain part if there is one, else the text/html part with its tags
// removed (quoted blocks become "> " lines) and its entities unescaped.
// Attachments are skipped. It decodes quoted-printable and base64 and the
// charsets UTF-8, US-ASCII and ISO-8859-1; any other charset is an error.
// Line ends are LF. A message without any text part gives "".
func ExtractText(r io.Reader) (text string, h mail.Header, err error) {
	msg, err := mail.ReadMessage(r)
	if err != nil {
		return "", nil, fmt.Errorf("mailin: read message: %w", err)
	}
	text, err = messageText(msg)
	return text, msg.Header, err
}

// messageText returns the text of a parsed message; see ExtractText.
func messageText(msg *mail.Message) (string, error) {
	b, err := partBody(textproto.MIMEHeader(msg.Header), msg.Body, 0)
	if err != nil {
		return "", err
	}
	return b.text, nil
}

// body is the text found in a MIME part.
type body struct {
	text  string
	html  bool // text came from text/html
	found bool
}

// partBody returns the text of one MIME part: the first text part of a
// multipart, except that multipart/alternative prefers text/plain.
func partBody(h textproto.MIMEHeader, r io.Reader, depth int) (body, error) {
	mediaType, params := contentType(h)
	if disp, _, _ := mime.ParseMediaType(h.Get("Content-Disposition")); disp == "attachment" {
		return body{}, nil
	}
	switch {
	case strings.HasPrefix(mediaType, "multipart/"):
		return multipartBody(mediaType, params, r, depth)
	case mediaType == "text/plain" || mediaType == "text/html":
		text, err := decodePart(h, params, r)
		if err != nil {
			return body{}, err
		}
		if mediaType == "text/html" {
			return body{text: htmlText(text), html: true, found: true}, nil
		}
		return body{text: text, found: true}, nil
	}
	return body{}, nil
}

// multipartBody walks the parts of a multipart.
func multipartBody(mediaType string, params map[string]string, r io.Reader, depth int) (body, error) {
	if depth >= maxDepth {
		return body{}, errors.New("mailin: multipart nested too deeply")
	}
	if params["boundary"] == "" {
		return body{}, fmt.Errorf("mailin: %s without boundary", mediaType)
	}
	mr := multipart.NewReader(r, params["boundary"])
	var html body
	for {
		// NextRawPart: decodePart handles every transfer encoding itself.
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return html, nil
		}
		if err != nil {
			return body{}, fmt.Errorf("mailin: read %s: %w", mediaType, err)
		}
		b, err := partBody(p.Header, p, depth+1)
		switch {
		case err != nil:
			return body{}, err
		case !b.found:
			continue
		case mediaType != "multipart/alternative" || !b.html:
			return b, nil
		case !html.found:
			html = b
		}
	}
}

// contentType returns a part's media type, lower-case, defaulting to
// text/plain as RFC 2045 says.
func contentType(h textproto.MIMEHeader) (string, map[string]string) {
	v := h.Get("Content-Type")
	if v == "" {
		return "text/plain", map[string]string{}
	}
	mediaType, params, err := mime.ParseMediaType(v)
	if mediaType == "" {
		// Unreadable: RFC 2045 says to treat it as plain text.
		return "text/plain", map[string]string{}
	}
	if err != nil || params == nil {
		params = map[string]string{}
	}
	return mediaType, params
}

// decodePart reads a text part, undoing its transfer encoding and charset.
func decodePart(h textproto.MIMEHeader, params map[string]string, r io.Reader) (string, error) {
	switch enc := strings.ToLower(strings.TrimSpace(h.Get("Content-Transfer-Encoding"))); enc {
	case "", "7bit", "8bit", "binary":
	case "quoted-printable":
		r = quotedprintable.NewReader(r)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &spaceSkipper{r: r})
	default:
		return "", fmt.Errorf("mailin: unknown transfer encoding %q", enc)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return "", fmt.Errorf("mailin: decode text part: %w", err)
	}
	text, err := decodeCharset(data, params["charset"])
	if err != nil {
		return "", err
	}
	return normalizeNewlines(text), nil
}

// decodeCharset returns data as UTF-8. Invalid UTF-8 becomes U+FFFD, and a
// missing charset is taken as UTF-8, a superset of the US-ASCII default that
// 8-bit senders usually mean.
func decodeCharset(data []byte, charset string) (string, error) {
	switch strings.ToLower(strings.TrimSpace(charset)) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return strings.ToValidUTF8(string(data), "\uFFFD"), nil
	case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1":
		// ISO-8859-1 is the first 256 code points of Unicode.
		return decodeSingleByte(data, nil), nil
	case "windows-1252", "cp1252", "x-cp1252":
		// What Outlook often sends plain text in: ISO-8859-1 with
		// printable characters in 0x80–0x9F.
		return decodeSingleByte(data, &cp1252High), nil
	}
	return "", fmt.Errorf("%w %q", errCharset, charset)
}

// cp1252High maps windows-1252's bytes 0x80–0x9F; the five it leaves
// undefined keep their ISO-8859-1 (C1 control) value.
var cp1252High = [32]rune{
	'€', 0x81, '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', 0x8D, 'Ž', 0x8F,
	0x90, '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', 0x9D, 'ž', 'Ÿ',
}

// decodeSingleByte decodes a single-byte charset that is ISO-8859-1 apart
// from high (bytes 0x80–0x9F), if given.
func decodeSingleByte(data []byte, high *[32]rune) string {
	runes := make([]rune, len(data))
	for i, b := range data {
		runes[i] = rune(b)
		if high != nil && b >= 0x80 && b <= 0x9F {
			runes[i] = high[b-0x80]
		}
	}
	return string(runes)
}

// normalizeNewlines turns CRLF and lone CR into LF.
func normalizeNewlines(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\r", "\n")
}

// spaceSkipper drops the spaces and tabs some senders leave in base64 lines;
// the base64 decoder itself skips only CR and LF.
type spaceSkipper struct{ r io.Reader }

func (s *spaceSkipper) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		kept := 0
		for _, c := range p[:n] {
			if c != ' ' && c != '\t' {
				p[kept] = c
				kept++
			}
		}
		if kept > 0 || err != nil || n == 0 {
			return kept, err
		}
	}
}
