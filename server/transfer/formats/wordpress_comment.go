package formats

import (
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/transfer"
)

// wpComment is a <wp:comment> as read, before it becomes a Comment.
type wpComment struct {
	id, author, email, url, date, dateGMT, content, approved, typ, parent string
}

// comment reads a <wp:comment> and emits it unless it is skipped.
func (r *wordpress) comment(it *wpItem) error {
	if !it.decided {
		if err := r.decide(it); err != nil {
			return err
		}
	}
	line := r.x.line() // checks on the whole comment name its first line
	var wc wpComment
	if err := r.x.children(func(el xml.StartElement) error { return r.commentField(&wc, el) }); err != nil {
		return r.x.fail(err, fmt.Sprintf("comment %s of post %s", wc.id, it.id))
	}
	switch {
	case it.skipped:
		r.skip("comment on " + it.typ)
		return nil
	case wc.typ == "pingback" || wc.typ == "trackback":
		r.skip(wc.typ)
		return nil
	case wc.typ != "" && wc.typ != "comment":
		r.skip("comment type " + wc.typ)
		return nil
	}
	c, err := wc.toComment(it.id)
	if err != nil {
		return atLine(line, fmt.Sprintf("comment %s of post %s", wc.id, it.id), err)
	}
	r.push(c)
	return nil
}

// commentField reads one child of a <wp:comment>, skipping those not needed.
func (r *wordpress) commentField(wc *wpComment, el xml.StartElement) error {
	var field *string
	if isWP(el.Name) {
		switch el.Name.Local {
		case "comment_id":
			field = &wc.id
		case "comment_author":
			field = &wc.author
		case "comment_author_email":
			field = &wc.email
		case "comment_author_url":
			field = &wc.url
		case "comment_date":
			field = &wc.date
		case "comment_date_gmt":
			field = &wc.dateGMT
		case "comment_content":
			field = &wc.content
		case "comment_approved":
			field = &wc.approved
		case "comment_type":
			field = &wc.typ
		case "comment_parent":
			field = &wc.parent
		}
	}
	if field == nil { // author IP, user ID, karma, agent, commentmeta
		return r.x.d.Skip()
	}
	s, err := r.x.text()
	if err != nil {
		return fmt.Errorf("<wp:%s>: %w", el.Name.Local, err)
	}
	*field = s
	return nil
}

// toComment checks wc and makes a Comment of it.
func (wc *wpComment) toComment(postID string) (*transfer.Comment, error) {
	if _, err := strconv.ParseUint(wc.id, 10, 64); err != nil {
		return nil, fmt.Errorf("comment_id %q is not a number", wc.id)
	}
	c := &transfer.Comment{
		Key:       "wordpress:" + postID + ":" + wc.id,
		ThreadKey: "wordpress:post:" + postID,
		Author:    wc.author,
		Email:     wc.email,
		Website:   wc.url,
		Body:      wc.content,
		HTML:      true,
	}
	if c.Website == "http://" || c.Website == "https://" { // an empty field, as old WordPress saved it
		c.Website = ""
	}
	parent, err := strconv.ParseUint(cmp.Or(wc.parent, "0"), 10, 64)
	if err != nil {
		return nil, fmt.Errorf("comment_parent %q is not a number", wc.parent)
	}
	if parent != 0 {
		c.ParentKey = "wordpress:" + postID + ":" + wc.parent
	}
	if c.CreatedAt, err = wpTime("comment_date_gmt", wc.dateGMT, wc.date); err != nil {
		return nil, err
	}
	switch wc.approved {
	case "1":
		c.Status = comment.StatusApproved
	case "0":
		c.Status = comment.StatusPending
	case "spam":
		c.Status = comment.StatusSpam
	case "trash", "post-trashed":
		c.Status = comment.StatusDeleted
	default:
		return nil, fmt.Errorf("comment_approved %q is not 1, 0, spam or trash", wc.approved)
	}
	return c, nil
}

// errNoDate is a record with neither date set.
var errNoDate = errors.New("no date")

// wpTime parses a _gmt date, or if it is unset the local date as UTC.
func wpTime(field, gmt, local string) (time.Time, error) {
	s := gmt
	if s == "" || s == wpZeroDate {
		s, field = local, strings.TrimSuffix(field, "_gmt")
	}
	if s == "" || s == wpZeroDate {
		return time.Time{}, fmt.Errorf("%s: %w", field, errNoDate)
	}
	t, err := time.ParseInLocation(wpDate, s, time.UTC)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", field, err)
	}
	return t, nil
}
