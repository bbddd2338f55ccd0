// Package notify delivers staff alerts: email over SMTP (Mailer) and
// webhooks in a generic signed JSON format or as Slack and Discord messages
// (Poster). Senders make one attempt each; the alert worker retries, asking
// Permanent whether a retry can help.
//
// Errors never contain email addresses, passwords or webhook URL paths
// (Slack and Discord put their tokens there), since the worker logs and
// stores them.
//
// It imports the standard library only.
package notify
