package comment

import (
	"context"
	"strings"
	"unicode/utf8"
)

// MaxReasonLength bounds the reason staff give for hiding a comment or for
// answering none.
const MaxReasonLength = 500

// StaffReply stores an official reply by the actor to a comment of one of
// their sites, and marks that comment answered, in one transaction with its
// audit entry. Replying to a held comment approves it. Errors: NotFound,
// Invalid.
func (s *Service) StaffReply(ctx context.Context, a Actor, parentID int64, body string) (Comment, Thread, error) {
	return s.StaffReplyWith(ctx, a, parentID, body, ReplyHooks{})
}

// ReplyHooks let the packages built on staff replies (saved answers,
// private follow-up) add their own checks and records to one.
type ReplyHooks struct {
	// Before runs once the reply is allowed and before anything is stored;
	// an error stops the reply. It may be slow (send an email): no
	// transaction is open yet.
	Before func(ctx context.Context, parent Comment, t Thread) error
	// InTx runs in the reply's transaction after the reply and its audit
	// entry are stored; an error rolls all of it back. tx is the Store
	// bound to the transaction.
	InTx func(ctx context.Context, tx Store, parent, reply Comment, t Thread) error
}

// StaffReplyWith is StaffReply with hooks. Errors: those of StaffReply and
// whatever the hooks return.
func (s *Service) StaffReplyWith(ctx context.Context, a Actor, parentID int64, body string, h ReplyHooks) (Comment, Thread, error) {
	body, err := cleanBody(body)
	if err != nil {
		return Comment{}, Thread{}, err
	}
	parent, t, err := s.staffComment(ctx, a, parentID)
	if err != nil {
		return Comment{}, Thread{}, err
	}
	if parent.Status != StatusApproved && parent.Status != StatusPending {
		return Comment{}, Thread{}, Errorf(Conflict, "This comment is %s; approve it before replying.", parent.Status)
	}
	if h.Before != nil {
		if err := h.Before(ctx, parent, t); err != nil {
			return Comment{}, Thread{}, err
		}
	}
	now := s.now().UTC()
	var reply Comment
	err = s.store.InTx(ctx, func(tx Store) error {
		var err error
		reply, err = tx.CreateComment(ctx, Comment{
			SiteID: t.SiteID, ThreadID: t.ID, ParentID: parent.ID, Author: a.Name, Body: body, HTML: s.render.Render(body),
			Status: StatusApproved, Official: true, StaffID: a.UserID, ReplyState: ReplyStaff, CreatedAt: now,
		})
		if err != nil {
			return err
		}
		u := Update{}
		if parent.Status == StatusPending {
			approved := StatusApproved
			u.Status = &approved
		}
		if parent.ReplyState == ReplyOpen || parent.ReplyState == ReplyNotNeeded {
			site, _ := s.SiteByID(t.SiteID)
			s.answered(site, parent, now, &u)
		}
		if _, err := tx.UpdateComment(ctx, parent.ID, u); err != nil {
			return err
		}
		if err := tx.CreateAudit(ctx, s.audit(a, t.SiteID, ActionReply, parent.ID, "", excerpt(body))); err != nil {
			return err
		}
		if h.InTx != nil {
			return h.InTx(ctx, tx, parent, reply, t)
		}
		return nil
	})
	return reply, t, err
}

// EditStaffReply changes an official reply. Staff may change their own
// replies at any time (the reader's edit window does not apply); owners may
// change any. The old text is kept in the audit log. Errors: NotFound,
// Forbidden, Invalid.
func (s *Service) EditStaffReply(ctx context.Context, a Actor, id int64, body string) (Comment, Thread, error) {
	body, err := cleanBody(body)
	if err != nil {
		return Comment{}, Thread{}, err
	}
	c, t, err := s.staffComment(ctx, a, id)
	if err != nil {
		return Comment{}, Thread{}, err
	}
	if !c.Official {
		return Comment{}, Thread{}, Errorf(Forbidden, "Only staff replies can be edited; readers' comments cannot.")
	}
	if c.StaffID != a.UserID && !a.Owner {
		return Comment{}, Thread{}, Errorf(Forbidden, "You can only edit your own replies.")
	}
	html, now, before := s.render.Render(body), s.now().UTC(), c.Body
	err = s.store.InTx(ctx, func(tx Store) error {
		var err error
		if c, err = tx.UpdateComment(ctx, id, Update{Body: &body, HTML: &html, EditedAt: &now}); err != nil {
			return err
		}
		return tx.CreateAudit(ctx, s.audit(a, t.SiteID, ActionEditReply, id, "", "before: "+excerpt(before)))
	})
	return c, t, err
}

// Moderate approves a comment, marks it spam, or hides it. Hiding needs a
// reason. Nothing is deleted: the row stays, and the audit log records who,
// when and why. Errors: NotFound, Invalid.
func (s *Service) Moderate(ctx context.Context, a Actor, id int64, action Action, reason string) (Comment, Thread, error) {
	reason = truncate(cleanLine(reason), MaxReasonLength)
	var status Status
	switch action {
	case ActionApprove:
		status = StatusApproved
	case ActionSpam:
		status = StatusSpam
	case ActionHide:
		status = StatusHidden
		if reason == "" {
			return Comment{}, Thread{}, FieldError("reason", "Say why the comment is hidden; the reason is kept in the audit log.")
		}
	default:
		return Comment{}, Thread{}, FieldError("action", "Unknown moderation action %q.", action)
	}
	c, t, err := s.staffComment(ctx, a, id)
	if err != nil {
		return Comment{}, Thread{}, err
	}
	if c.Status == StatusDeleted {
		return Comment{}, Thread{}, Errorf(Conflict, "The author deleted this comment.")
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		var err error
		if c, err = tx.UpdateComment(ctx, id, Update{Status: &status, ModerationReason: &reason}); err != nil {
			return err
		}
		return tx.CreateAudit(ctx, s.audit(a, t.SiteID, action, id, reason, ""))
	})
	return c, t, err
}

// SetNoReplyNeeded records that a reader comment needs no official answer,
// and why; it leaves the inbox. Reopen puts it back. Errors: NotFound,
// Invalid, Conflict.
func (s *Service) SetNoReplyNeeded(ctx context.Context, a Actor, id int64, reason string) (Comment, Thread, error) {
	reason = truncate(cleanLine(reason), MaxReasonLength)
	if reason == "" {
		return Comment{}, Thread{}, FieldError("reason", "Say why no reply is needed.")
	}
	return s.setReplyState(ctx, a, id, ReplyNotNeeded, reason, ActionNoReply)
}

// Reopen puts a comment marked "no reply needed" back into the inbox.
func (s *Service) Reopen(ctx context.Context, a Actor, id int64) (Comment, Thread, error) {
	return s.setReplyState(ctx, a, id, ReplyOpen, "", ActionReopen)
}

func (s *Service) setReplyState(ctx context.Context, a Actor, id int64, state ReplyState, reason string, action Action) (Comment, Thread, error) {
	c, t, err := s.staffComment(ctx, a, id)
	if err != nil {
		return Comment{}, Thread{}, err
	}
	switch {
	case c.Official:
		return Comment{}, Thread{}, Errorf(Conflict, "This is a staff reply; it needs no answer.")
	case state == ReplyOpen && c.ReplyState != ReplyNotNeeded:
		return Comment{}, Thread{}, Errorf(Conflict, "Only a comment marked \"no reply needed\" can be reopened.")
	case state == ReplyNotNeeded && c.ReplyState != ReplyOpen:
		return Comment{}, Thread{}, Errorf(Conflict, "This comment is not waiting for a reply.")
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		var err error
		if c, err = tx.UpdateComment(ctx, id, Update{ReplyState: &state, StateReason: &reason}); err != nil {
			return err
		}
		return tx.CreateAudit(ctx, s.audit(a, t.SiteID, action, id, reason, ""))
	})
	return c, t, err
}

// Purge deletes a comment for good. Only owners may, and only comments
// marked spam with no replies: criticism is hidden with a reason, never
// erased. The audit entry keeps the author and the start of the text.
// Errors: NotFound, Forbidden, Conflict.
func (s *Service) Purge(ctx context.Context, a Actor, id int64) (Thread, error) {
	c, t, err := s.staffComment(ctx, a, id)
	if err != nil {
		return Thread{}, err
	}
	if !a.Owner {
		return Thread{}, ownerOnly()
	}
	if c.Status != StatusSpam {
		return Thread{}, Errorf(Forbidden, "Only comments marked as spam can be purged; hide others with a reason.")
	}
	err = s.store.InTx(ctx, func(tx Store) error {
		if err := tx.DeleteComment(ctx, id); err != nil {
			return err
		}
		return tx.CreateAudit(ctx, s.audit(a, t.SiteID, ActionPurge, id, "", c.Author+": "+excerpt(c.Body)))
	})
	return t, err
}

// staffComment returns a comment of one of the actor's sites with its thread.
func (s *Service) staffComment(ctx context.Context, a Actor, id int64) (Comment, Thread, error) {
	c, err := s.store.FindCommentByID(ctx, id)
	if CodeOf(err) == NotFound || (err == nil && !a.CanSee(c.SiteID)) {
		return Comment{}, Thread{}, notFound()
	}
	if err != nil {
		return Comment{}, Thread{}, err
	}
	t, err := s.store.FindThreadByID(ctx, c.ThreadID)
	return c, t, err
}

func (s *Service) audit(a Actor, siteID int64, action Action, commentID int64, reason, detail string) AuditEntry {
	return AuditEntry{SiteID: siteID, UserID: a.UserID, UserName: a.Name, Action: action, CommentID: commentID,
		Reason: reason, Detail: detail, CreatedAt: s.now().UTC()}
}

// excerpt is the start of a text, for audit entries.
func excerpt(s string) string {
	s = cleanLine(s)
	if utf8.RuneCountInString(s) > 200 {
		return strings.TrimSpace(truncate(s, 199)) + "…"
	}
	return s
}
