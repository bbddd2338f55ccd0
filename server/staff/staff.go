// Package staff holds staff accounts and what keeps them safe: password
// hashing (argon2id), sessions with CSRF tokens, per-user API tokens and the
// throttling of failed logins. It turns a signed-in user into the
// comment.Actor the product rules act for. It imports comment and the
// standard library (plus golang.org/x/crypto for argon2).
package staff

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// Role is what a staff account may do.
type Role string

// The roles. Owners see every site, read the whole audit log, change settings
// and purge spam; staff work the sites they were given (and read their audit
// log).
const (
	RoleOwner Role = "owner"
	RoleStaff Role = "staff"
)

// User is a staff account.
type User struct {
	ID        int64
	Email     string
	Name      string
	Role      Role
	SiteIDs   []int64
	CreatedAt time.Time
}

// Actor is the user as the product rules see them.
func (u User) Actor() comment.Actor {
	return comment.Actor{UserID: u.ID, Name: u.Name, Owner: u.Role == RoleOwner, SiteIDs: u.SiteIDs}
}

// Session is a signed-in browser. Only the hash of its token is stored.
type Session struct {
	TokenHash  string
	UserID     int64
	CSRFToken  string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

// Throttle counts recent failed logins of one account or client address.
type Throttle struct {
	Key            string
	Failures       int
	FirstFailureAt time.Time
	LockedUntil    time.Time
}

// Store keeps accounts, sessions and throttles. Finders return a NotFound
// *comment.Error when there is nothing.
type Store interface {
	// CreateUser stores a new account. Conflict if the email is taken.
	CreateUser(ctx context.Context, u User, passwordHash string) (User, error)
	// FindUserByEmail returns an account and its password hash. NotFound.
	FindUserByEmail(ctx context.Context, email string) (User, string, error)
	// FindUserByID returns an account. NotFound.
	FindUserByID(ctx context.Context, id int64) (User, error)
	// FindUserByAPIToken returns the account of an API token hash. NotFound.
	FindUserByAPIToken(ctx context.Context, tokenHash string) (User, error)
	// FindUsers returns every account.
	FindUsers(ctx context.Context) ([]User, error)
	// SetAPITokenHash replaces an account's API token.
	SetAPITokenHash(ctx context.Context, userID int64, tokenHash string) error
	// SetPasswordHash replaces an account's password and ends its sessions.
	SetPasswordHash(ctx context.Context, userID int64, hash string) error
	// CreateSession stores a session.
	CreateSession(ctx context.Context, s Session) error
	// FindSession returns a session by its token hash. NotFound.
	FindSession(ctx context.Context, tokenHash string) (Session, error)
	// TouchSession records activity on a session.
	TouchSession(ctx context.Context, tokenHash string, at time.Time) error
	// DeleteSession ends a session.
	DeleteSession(ctx context.Context, tokenHash string) error
	// FindThrottle returns the throttle of a key. NotFound.
	FindThrottle(ctx context.Context, key string) (Throttle, error)
	// SaveThrottle stores a throttle.
	SaveThrottle(ctx context.Context, t Throttle) error
	// DeleteThrottle forgets a key's failures.
	DeleteThrottle(ctx context.Context, key string) error
}

// normalizeEmail lower-cases an address so that one person has one account.
func normalizeEmail(s string) (string, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > comment.MaxEmailLength {
		return "", comment.FieldError("email", "The email address is not valid.")
	}
	return s, nil
}
