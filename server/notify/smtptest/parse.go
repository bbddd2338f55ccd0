package smtptest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/textproto"
	"strings"
)

// maxDepth bounds how deeply multiparts may nest.
const maxDepth = 8

// parse builds a Message from an envelope and the raw data. Whatever does
// not parse is reported in Message.Err.
func parse(from string, to []string, data []byte) Message {
	m := Message{From: from, To: to, Data: data}
	msg, err := mail.ReadMessage(bytes.NewReader(data))
	if err != nil {
		m.Err = fmt.Errorf("read header: %w", err)
		return m
	}
	m.Header = msg.Header
	var dec mime.WordDecoder
	if m.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		m.Err = fmt.Errorf("decode subject: %w", err)
		return m
	}
	if err := m.readPart(textproto.MIMEHeader(msg.Header), msg.Body, 0); err != nil {
		m.Err = err
	}
	return m
}

// readPart fills Text or HTML from one MIME entity, going down into
// multiparts. The first text/plain and text/html parts win; attachments are
// skipped.
func (m *Message) readPart(h textproto.MIMEHeader, body io.Reader, depth int) error {
	ct := h.Get("Content-Type")
	if ct == "" {
		ct = "text/plain; charset=us-ascii"
	}
	mediaType, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return fmt.Errorf("parse content type %q: %w", ct, err)
	}
	if strings.HasPrefix(mediaType, "multipart/") {
		if depth >= maxDepth {
			return fmt.Errorf("read multipart: nested deeper than %d", maxDepth)
		}
		return m.readMultipart(body, params["boundary"], depth)
	}
	if disp, _, _ := mime.ParseMediaType(h.Get("Content-Disposition")); disp == "attachment" {
		return nil
	}
	if mediaType != "text/plain" && mediaType != "text/html" {
		return nil
	}
	raw, err := io.ReadAll(decodeTransfer(h.Get("Content-Transfer-Encoding"), body))
	if err != nil {
		return fmt.Errorf("decode %s part: %w", mediaType, err)
	}
	text := strings.ReplaceAll(decodeCharset(params["charset"], raw), "\r\n", "\n")
	switch {
	case mediaType == "text/plain" && m.Text == "":
		m.Text = text
	case mediaType == "text/html" && m.HTML == "":
		m.HTML = text
	}
	return nil
}

func (m *Message) readMultipart(body io.Reader, boundary string, depth int) error {
	if boundary == "" {
		return fmt.Errorf("read multipart: no boundary")
	}
	mr := multipart.NewReader(body, boundary)
	for {
		// NextRawPart leaves the transfer encoding to readPart, which
		// handles quoted-printable and base64 alike.
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("read multipart: %w", err)
		}
		if err := m.readPart(p.Header, p, depth+1); err != nil {
			return err
		}
	}
}

// decodeTransfer undoes a Content-Transfer-Encoding. 7bit, 8bit, binary and
// unknown encodings pass through.
func decodeTransfer(encoding string, r io.Reader) io.Reader {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		return quotedprintable.NewReader(r)
	case "base64":
		return base64.NewDecoder(base64.StdEncoding, r) // skips the line breaks
	}
	return r
}

// decodeCharset turns text in charset into UTF-8. It knows UTF-8, US-ASCII
// and ISO-8859-1, and leaves anything else as it is.
func decodeCharset(charset string, b []byte) string {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "latin1", "latin-1":
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = rune(c)
		}
		return string(r)
	}
	return string(b)
}
