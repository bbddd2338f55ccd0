package comment

import "time"

// AlertKind is one step of the alerts about an unanswered comment.
type AlertKind string

// The alert kinds, in the order a comment reaches them.
const (
	AlertNew        AlertKind = "new_comment" // at once, to the assignee
	AlertReminder   AlertKind = "reminder"    // half the target has passed
	AlertEscalation AlertKind = "escalation"  // the deadline, to the assignee and the owners
	AlertDigest     AlertKind = "digest"      // daily, everything still unanswered
	// AlertCrisis is not a step: a burst of negative or unanswered comments
	// (see package crisis), to the owners at once.
	AlertCrisis AlertKind = "crisis"
)

// Channel is how an alert reaches a person.
type Channel string

// The channels.
const (
	ChannelEmail   Channel = "email"
	ChannelWebhook Channel = "webhook"
)

// NotificationStatus is where an outbox row stands.
type NotificationStatus string

// The notification statuses.
const (
	NotificationPending   NotificationStatus = "pending"
	NotificationSent      NotificationStatus = "sent"
	NotificationCancelled NotificationStatus = "cancelled" // answered (or hidden) before it went
	NotificationFailed    NotificationStatus = "failed"    // gave up: a permanent error or too many tries
)

// Notification is one alert to one person on one channel: a row of the
// outbox, written before it is sent and marked sent after delivery.
type Notification struct {
	ID int64
	// DedupKey names the comment (or the digest's day), the step, the
	// person and the channel; the store keeps it unique, so a step
	// reaches nobody twice whatever the number of workers.
	DedupKey      string
	Kind          AlertKind
	Channel       Channel
	SiteID        int64
	UserID        int64
	CommentID     int64 // 0 for a digest or a crisis
	CrisisID      int64 // the crisis a crisis alert is about
	Status        NotificationStatus
	Attempts      int
	NextAttemptAt time.Time
	LastError     string
	CreatedAt     time.Time
	SentAt        time.Time
}

// AlertPrefs is how a staff member wants to be alerted.
type AlertPrefs struct {
	TimeZone      string // IANA name; quiet hours are in this zone
	QuietHours    string // "22:00-07:00", or empty
	Email         bool
	WebhookURL    string
	WebhookFormat string // json, slack or discord
	WebhookSecret string // signs generic JSON webhooks
}

// Recipient is a staff member with their alert preferences.
type Recipient struct {
	Assignable
	SiteIDs []int64 // the sites a staff member (not an owner) may see
	Prefs   AlertPrefs
}

// AlertStep is where a comment's alerts stand after a sweep.
type AlertStep struct {
	Step int
	Next time.Time // zero: no more alerts
}
