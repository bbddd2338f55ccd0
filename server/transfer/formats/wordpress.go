package formats

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/parleyhq/parley/server/transfer"
)

// wordpress reads a WordPress export (WXR): RSS 2.0 whose <item>s are
// posts, each followed by its <wp:comment>s.
type wordpress struct {
	stream
	src  io.Reader
	x    *xmlStream
	item *wpItem // the <item> being read; nil between items
}

// wpItem is what has been read of an <item>. WordPress writes the post's
// own fields before its comments, so the thread is decided (emitted or
// skipped) at the first comment, or at </item> if there is none.
type wpItem struct {
	line                                int
	id, link, title, typ, date, dateGMT string
	decided, skipped                    bool
}

// wpDate is WordPress's date layout; "0000-00-00 00:00:00" means unset.
const (
	wpDate     = "2006-01-02 15:04:05"
	wpZeroDate = "0000-00-00 00:00:00"
)

// NewWordPress returns a reader of a WordPress WXR export (plain or gzipped).
//
// Each post or page becomes a thread keyed "wordpress:post:<post_id>",
// comments or not; its comments are keyed "wordpress:<post_id>:<comment_id>".
// Attachments, menu items and other internal post types are left out with
// their comments. So are pingbacks, trackbacks and any other comment type
// but a plain comment (WooCommerce reviews and order notes, block editor
// notes). Skipped counts each left-out comment under "pingback",
// "trackback", "comment type <type>" or "comment on <post type>".
//
// Bodies are HTML (WordPress stores comments as HTML-ish text with
// paragraphs added on display). comment_approved "1" is approved, "0"
// pending, "spam" spam, and "trash" or "post-trashed" deleted. Dates are
// the _gmt fields; where WordPress left one unset it falls back to the
// local-time field read as UTC, which may be off by the site's offset.
// A comment_user_id does not make a comment Official: any registered
// reader has one.
func NewWordPress(r io.Reader) transfer.Reader { return &wordpress{src: r} }

// Next returns the next thread or comment, or io.EOF after the last.
func (r *wordpress) Next() (transfer.Item, error) { return r.next(r.step) }

// step reads on from wherever the document is.
func (r *wordpress) step() error {
	if r.x == nil {
		return r.start()
	}
	if r.item != nil {
		return r.itemStep(r.item)
	}
	el, ok, err := r.x.child()
	switch {
	case err != nil:
		return r.x.fail(err, "")
	case !ok: // </channel>
		_, more, err := r.x.child()
		if err == nil && more {
			err = errors.New("an element after </channel>")
		}
		if err != nil {
			return r.x.fail(err, "")
		}
		return r.x.end()
	case el.Name.Local == "item" && el.Name.Space == "":
		r.item = &wpItem{line: r.x.line()}
		return nil
	}
	if err := r.x.d.Skip(); err != nil { // the blog's title, authors, categories, terms
		return r.x.fail(err, "")
	}
	return nil
}

// start reads up to <channel>, inside <rss>.
func (r *wordpress) start() error {
	x, err := newXMLStream(r.src)
	if err != nil {
		return err
	}
	r.x = x
	if err := x.root("rss"); err != nil {
		return err
	}
	for {
		el, ok, err := x.child()
		switch {
		case err != nil:
			return x.fail(err, "")
		case !ok:
			return x.fail(errors.New("no <channel> in <rss>"), "")
		case el.Name.Local == "channel":
			return nil
		}
		if err := x.d.Skip(); err != nil {
			return x.fail(err, "")
		}
	}
}

// itemStep reads an item's fields up to its next comment or its end.
func (r *wordpress) itemStep(it *wpItem) error {
	for {
		el, ok, err := r.x.child()
		switch {
		case err != nil:
			return r.x.fail(err, it.record())
		case !ok: // </item>
			r.item = nil
			if !it.decided {
				return r.decide(it)
			}
			return nil
		case isWP(el.Name) && el.Name.Local == "comment":
			return r.comment(it)
		}
		if err := r.itemField(it, el); err != nil {
			return r.x.fail(err, it.record())
		}
	}
}

// itemField reads one of an item's fields, skipping those not needed.
func (r *wordpress) itemField(it *wpItem, el xml.StartElement) error {
	var field *string
	switch {
	case el.Name.Space == "" && el.Name.Local == "title":
		field = &it.title
	case el.Name.Space == "" && el.Name.Local == "link":
		field = &it.link
	case isWP(el.Name) && el.Name.Local == "post_id":
		field = &it.id
	case isWP(el.Name) && el.Name.Local == "post_type":
		field = &it.typ
	case isWP(el.Name) && el.Name.Local == "post_date":
		field = &it.date
	case isWP(el.Name) && el.Name.Local == "post_date_gmt":
		field = &it.dateGMT
	default:
		return r.x.d.Skip()
	}
	if it.decided {
		return fmt.Errorf("<%s> after the item's comments", el.Name.Local)
	}
	s, err := r.x.text()
	*field = s
	return err
}

// decide emits the item's thread, or marks the item skipped.
func (r *wordpress) decide(it *wpItem) error {
	it.decided = true
	if it.id == "" {
		return atLine(it.line, "item", errors.New("item has no <wp:post_id>"))
	}
	if wpSkippedType(it.typ) {
		it.skipped = true
		return nil
	}
	if it.link == "" {
		return atLine(it.line, it.record(), errors.New("item has no <link>"))
	}
	created, err := wpTime("post_date_gmt", it.dateGMT, it.date)
	if err != nil && !errors.Is(err, errNoDate) { // a draft has no date
		return atLine(it.line, it.record(), err)
	}
	r.push(&transfer.Thread{Key: "wordpress:post:" + it.id, URL: it.link, Title: it.title, CreatedAt: created})
	return nil
}

// record names the item in errors.
func (it *wpItem) record() string {
	if it.id == "" {
		return "item"
	}
	return "item " + it.id
}

// isWP reports whether name is in a WXR namespace (1.0, 1.1 or 1.2).
func isWP(name xml.Name) bool {
	return strings.HasPrefix(name.Space, "http://wordpress.org/export/") ||
		strings.HasPrefix(name.Space, "https://wordpress.org/export/")
}

// wpSkippedType reports whether comments on a post type are not the
// public's: media, menus, revisions, the block editor's and WooCommerce's
// internals. Every other type (post, page, a theme's own) is imported.
func wpSkippedType(typ string) bool {
	switch typ {
	case "attachment", "nav_menu_item", "revision", "custom_css", "customize_changeset",
		"oembed_cache", "user_request", "wp_block", "wp_template", "wp_template_part",
		"wp_global_styles", "wp_navigation", "wp_font_family", "wp_font_face",
		"shop_order", "shop_order_refund", "shop_coupon":
		return true
	}
	return false
}
