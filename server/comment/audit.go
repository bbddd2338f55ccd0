package comment

import "time"

// Action names an entry of the audit log.
type Action string

// The audited actions.
const (
	ActionReply      Action = "reply"
	ActionEditReply  Action = "edit_reply"
	ActionApprove    Action = "approve"
	ActionSpam       Action = "spam"
	ActionHide       Action = "hide"
	ActionPurge      Action = "purge"
	ActionNoReply    Action = "no_reply_needed"
	ActionReopen     Action = "reopen"
	ActionSettings   Action = "site_settings"
	ActionAssign     Action = "assign"
	ActionEmailReply Action = "email_reply"
)

// AuditEntry is one line of the audit log: who did what, when and why.
type AuditEntry struct {
	ID        int64
	SiteID    int64
	UserID    int64
	UserName  string
	Action    Action
	CommentID int64
	Reason    string
	Detail    string
	CreatedAt time.Time
}

// AuditFilter selects audit entries, newest first. Zero fields select all.
type AuditFilter struct {
	SiteIDs   []int64 // nil: every site
	CommentID int64
	Limit     int
	Offset    int
}
