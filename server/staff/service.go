package staff

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parleyhq/parley/server/comment"
)

// Config holds what a Service needs.
type Config struct {
	Store Store
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// ClientHash turns a client address into the key its failed logins are
	// counted under (the raw address is never stored).
	ClientHash func(addr string) string
	// SessionIdle ends a session unused for this long (default 12 h);
	// SessionMax ends any session this long after sign-in (default 14 days).
	SessionIdle, SessionMax time.Duration
}

// Service signs staff in and out.
type Service struct {
	store      Store
	now        func() time.Time
	clientHash func(string) string
	idle, max  time.Duration
}

// NewService returns a Service.
func NewService(cfg Config) *Service {
	s := &Service{store: cfg.Store, now: cfg.Now, clientHash: cfg.ClientHash, idle: cfg.SessionIdle, max: cfg.SessionMax}
	if s.now == nil {
		s.now = time.Now
	}
	if s.idle <= 0 {
		s.idle = 12 * time.Hour
	}
	if s.max <= 0 {
		s.max = 14 * 24 * time.Hour
	}
	return s
}

// CreateUser creates an account. Errors: Invalid, Conflict.
func (s *Service) CreateUser(ctx context.Context, email, name string, role Role, password string, siteIDs []int64) (User, error) {
	email, err := normalizeEmail(email)
	if err != nil {
		return User{}, err
	}
	if role != RoleOwner && role != RoleStaff {
		return User{}, comment.FieldError("role", "The role must be owner or staff.")
	}
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return User{}, comment.FieldError("password", "The password must have at least %d characters.", MinPasswordLength)
	}
	if name = strings.TrimSpace(name); name == "" {
		name, _, _ = strings.Cut(email, "@")
	}
	hash, err := hashPassword(password)
	if err != nil {
		return User{}, err
	}
	return s.store.CreateUser(ctx, User{Email: email, Name: name, Role: role, SiteIDs: siteIDs, CreatedAt: s.now().UTC()}, hash)
}

// SetPassword replaces a user's password and ends all their sessions.
// Errors: Invalid, NotFound.
func (s *Service) SetPassword(ctx context.Context, userID int64, password string) error {
	if utf8.RuneCountInString(password) < MinPasswordLength {
		return comment.FieldError("password", "The password must have at least %d characters.", MinPasswordLength)
	}
	hash, err := hashPassword(password)
	if err != nil {
		return err
	}
	return s.store.SetPasswordHash(ctx, userID, hash)
}

// UserByEmail returns the account of an email address. Errors: NotFound.
func (s *Service) UserByEmail(ctx context.Context, email string) (User, error) {
	email, err := normalizeEmail(email)
	if err != nil {
		return User{}, err
	}
	u, _, err := s.store.FindUserByEmail(ctx, email)
	return u, err
}

// Login checks a password and opens a new session, whose token goes into
// the cookie. Failed logins are counted per account and per client address;
// past a few, further attempts wait, whatever the password. Errors:
// Forbidden (wrong email or password), RateLimited (with RetryAfter).
func (s *Service) Login(ctx context.Context, email, password, clientAddr string) (User, Session, string, error) {
	email, _ = normalizeEmail(email)
	keys := []string{"account:" + email, "client:" + s.clientHash(clientAddr)}
	now := s.now().UTC()
	for _, k := range keys {
		if err := s.checkThrottle(ctx, k, now); err != nil {
			return User{}, Session{}, "", err
		}
	}
	u, hash, err := s.store.FindUserByEmail(ctx, email)
	if err != nil && comment.CodeOf(err) != comment.NotFound {
		return User{}, Session{}, "", err
	}
	if err != nil {
		hash = dummyHash
	}
	if !checkPassword(password, hash) || err != nil {
		for _, k := range keys {
			if err := s.recordFailure(ctx, k, now); err != nil {
				return User{}, Session{}, "", err
			}
		}
		return User{}, Session{}, "", comment.Errorf(comment.Forbidden, "Wrong email or password.")
	}
	if err := s.store.DeleteThrottle(ctx, keys[0]); err != nil {
		return User{}, Session{}, "", err
	}
	token, sess, err := s.newSession(u.ID, now)
	if err != nil {
		return User{}, Session{}, "", err
	}
	return u, sess, token, s.store.CreateSession(ctx, sess)
}

// Throttling: up to maxFailures failures within failureWindow go free; each
// further one locks the key for lockStep, doubling, up to maxLock.
const (
	maxFailures   = 5
	failureWindow = 15 * time.Minute
	lockStep      = 30 * time.Second
	maxLock       = 15 * time.Minute
)

func (s *Service) checkThrottle(ctx context.Context, key string, now time.Time) error {
	t, err := s.store.FindThrottle(ctx, key)
	if comment.CodeOf(err) == comment.NotFound {
		return nil
	}
	if err != nil {
		return err
	}
	if wait := t.LockedUntil.Sub(now); wait > 0 {
		return &comment.Error{Code: comment.RateLimited, RetryAfter: wait,
			Message: fmt.Sprintf("Too many failed sign-ins. Try again in %s.", roundUp(wait))}
	}
	return nil
}

func (s *Service) recordFailure(ctx context.Context, key string, now time.Time) error {
	t, err := s.store.FindThrottle(ctx, key)
	if err != nil && comment.CodeOf(err) != comment.NotFound {
		return err
	}
	if err != nil || (now.Sub(t.FirstFailureAt) > failureWindow && !t.LockedUntil.After(now)) {
		t = Throttle{Key: key, FirstFailureAt: now}
	}
	t.Failures++
	if over := t.Failures - maxFailures; over > 0 {
		lock := lockStep << min(over-1, 10)
		t.LockedUntil = now.Add(min(lock, maxLock))
	}
	return s.store.SaveThrottle(ctx, t)
}

func roundUp(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%d seconds", int(d.Seconds()+0.999))
	}
	return fmt.Sprintf("%d minutes", int(d.Minutes()+0.999))
}

func (s *Service) newSession(userID int64, now time.Time) (string, Session, error) {
	token, err := randomToken()
	if err != nil {
		return "", Session{}, err
	}
	csrf, err := randomToken()
	if err != nil {
		return "", Session{}, err
	}
	return token, Session{TokenHash: hashToken(token), UserID: userID, CSRFToken: csrf,
		CreatedAt: now, LastSeenAt: now, ExpiresAt: now.Add(s.max)}, nil
}

// Authenticate returns the user and session of a session token, ending
// sessions that expired or sat idle too long. Errors: Forbidden.
func (s *Service) Authenticate(ctx context.Context, token string) (User, Session, error) {
	denied := comment.Errorf(comment.Forbidden, "Please sign in.")
	if token == "" {
		return User{}, Session{}, denied
	}
	sess, err := s.store.FindSession(ctx, hashToken(token))
	if comment.CodeOf(err) == comment.NotFound {
		return User{}, Session{}, denied
	}
	if err != nil {
		return User{}, Session{}, err
	}
	now := s.now().UTC()
	if now.After(sess.ExpiresAt) || now.Sub(sess.LastSeenAt) > s.idle {
		if err := s.store.DeleteSession(ctx, sess.TokenHash); err != nil {
			return User{}, Session{}, err
		}
		return User{}, Session{}, denied
	}
	// Write at most once a minute: every admin request reads the session.
	if now.Sub(sess.LastSeenAt) > time.Minute {
		if err := s.store.TouchSession(ctx, sess.TokenHash, now); err != nil {
			return User{}, Session{}, err
		}
	}
	u, err := s.store.FindUserByID(ctx, sess.UserID)
	if comment.CodeOf(err) == comment.NotFound {
		return User{}, Session{}, denied
	}
	return u, sess, err
}

// Logout ends the session of a token.
func (s *Service) Logout(ctx context.Context, token string) error {
	if token == "" {
		return nil
	}
	return s.store.DeleteSession(ctx, hashToken(token))
}

// NewAPIToken gives a user a new API token (replacing any old one) and
// returns it; only its hash is kept.
func (s *Service) NewAPIToken(ctx context.Context, userID int64) (string, error) {
	token, err := randomToken()
	if err != nil {
		return "", err
	}
	token = "pk_" + token
	return token, s.store.SetAPITokenHash(ctx, userID, hashToken(token))
}

// AuthenticateAPIToken returns the user of an API token. Errors: Forbidden.
func (s *Service) AuthenticateAPIToken(ctx context.Context, token string) (User, error) {
	u, err := s.store.FindUserByAPIToken(ctx, hashToken(token))
	if comment.CodeOf(err) == comment.NotFound {
		return User{}, comment.Errorf(comment.Forbidden, "The API token is not valid.")
	}
	return u, err
}

// Users returns every account.
func (s *Service) Users(ctx context.Context) ([]User, error) { return s.store.FindUsers(ctx) }

func randomToken() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("staff: token: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}
