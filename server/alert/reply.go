package alert

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/mailin"
	"github.com/parleyhq/parley/server/staff"
)

// A reply token names one email alert (its notification ID) and carries an
// HMAC of it under a server key: unguessable, and nothing to store.
var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

const tokenMACLength = 15

// ReplyToken returns the token of a notification's reply address.
func ReplyToken(key []byte, notificationID int64) string {
	b := make([]byte, 8, 8+tokenMACLength)
	binary.BigEndian.PutUint64(b, uint64(notificationID))
	return tokenEncoding.EncodeToString(append(b, tokenMAC(key, b)...))
}

// parseToken returns the notification ID a token names, if its MAC holds.
func parseToken(key []byte, token string) (int64, bool) {
	b, err := tokenEncoding.DecodeString(strings.ToLower(token))
	if err != nil || len(b) != 8+tokenMACLength || len(key) == 0 {
		return 0, false
	}
	if !hmac.Equal(b[8:], tokenMAC(key, b[:8])) {
		return 0, false
	}
	return int64(binary.BigEndian.Uint64(b[:8])), true
}

func tokenMAC(key, id []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("parley reply token\x00"))
	m.Write(id)
	return m.Sum(nil)[:tokenMACLength]
}

func replyAddress(key []byte, notificationID int64, domain string) string {
	return mailin.Address(ReplyToken(key, notificationID), domain)
}

// ReplyStore is what taking replies by email needs of the database.
type ReplyStore interface {
	FindNotificationByID(ctx context.Context, id int64) (comment.Notification, error)
	FindUserByID(ctx context.Context, id int64) (staff.User, error)
}

// Replier posts official replies to the comment of an email alert.
type Replier interface {
	StaffReply(ctx context.Context, a comment.Actor, parentID int64, body string) (comment.Comment, comment.Thread, error)
}

// Replies connects the mail listener to Parley: a reply to an alert's
// reply address becomes the staff member's official reply to the comment.
// It satisfies mailin.Handler.
type Replies struct {
	store   ReplyStore
	service Replier
	key     []byte
	// Posted is called after each reply is stored (to refresh caches).
	Posted func(comment.Comment, comment.Thread)
}

// NewReplies returns the handler of reply-by-email.
func NewReplies(store ReplyStore, service Replier, key []byte) *Replies {
	return &Replies{store: store, service: service, key: key}
}

// target resolves a token to its notification and staff member.
func (h *Replies) target(ctx context.Context, token string) (comment.Notification, staff.User, error) {
	id, ok := parseToken(h.key, token)
	if !ok {
		return comment.Notification{}, staff.User{}, mailin.ErrUnknown
	}
	n, err := h.store.FindNotificationByID(ctx, id)
	if comment.CodeOf(err) == comment.NotFound || (err == nil && (n.CommentID == 0 || n.Channel != comment.ChannelEmail)) {
		return comment.Notification{}, staff.User{}, mailin.ErrUnknown
	}
	if err != nil {
		return comment.Notification{}, staff.User{}, err
	}
	u, err := h.store.FindUserByID(ctx, n.UserID)
	if comment.CodeOf(err) == comment.NotFound {
		return comment.Notification{}, staff.User{}, mailin.ErrUnknown
	}
	return n, u, err
}

// Recipient returns the email address of the staff member a token was
// sent to.
func (h *Replies) Recipient(ctx context.Context, token string) (string, error) {
	_, u, err := h.target(ctx, token)
	return u.Email, err
}

// Reply posts a reply as the staff member's official answer to the
// alert's comment.
func (h *Replies) Reply(ctx context.Context, r mailin.Reply) error {
	n, u, err := h.target(ctx, r.Token)
	if err != nil {
		return err
	}
	if !strings.EqualFold(u.Email, r.From) {
		return fmt.Errorf("alert: reply from another address: %w", mailin.ErrRefused)
	}
	c, t, err := h.service.StaffReply(ctx, u.Actor(), n.CommentID, r.Text)
	switch code := comment.CodeOf(err); {
	case err == nil:
	case code == comment.Internal:
		return err
	default:
		var ce *comment.Error
		msg := "the reply was refused"
		if errors.As(err, &ce) {
			msg = ce.Message
		}
		return fmt.Errorf("alert: %s: %w", msg, mailin.ErrRefused)
	}
	if h.Posted != nil {
		h.Posted(c, t)
	}
	return nil
}
