package store

import (
	"context"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
)

type userRow struct {
	ID           int64
	Email        string
	Name         string
	Role         string
	PasswordHash string
	APITokenHash *string `gorm:"column:api_token_hash"`
	CreatedAt    time.Time

	TimeZone      string
	QuietHours    string
	NotifyEmail   bool
	WebhookURL    string `gorm:"column:webhook_url"`
	WebhookFormat string
	WebhookSecret string
}

func (userRow) TableName() string { return "users" }

type userSiteRow struct {
	UserID int64
	SiteID int64
}

func (userSiteRow) TableName() string { return "user_sites" }

func (s *Store) user(ctx context.Context, r userRow) (staff.User, error) {
	var ids []int64
	err := s.db.WithContext(ctx).Model(&userSiteRow{}).Where("user_id = ?", r.ID).Order("site_id").Pluck("site_id", &ids).Error
	if err != nil {
		return staff.User{}, translate(err, "user sites")
	}
	return staff.User{ID: r.ID, Email: r.Email, Name: r.Name, Role: staff.Role(r.Role), SiteIDs: ids, CreatedAt: r.CreatedAt}, nil
}

// CreateUser stores a new account with its sites.
func (s *Store) CreateUser(ctx context.Context, u staff.User, passwordHash string) (staff.User, error) {
	row := userRow{Email: u.Email, Name: u.Name, Role: string(u.Role), PasswordHash: passwordHash, CreatedAt: u.CreatedAt,
		TimeZone: "UTC", NotifyEmail: true, WebhookFormat: "json"}
	err := s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Create(&row).Error; err != nil {
			return err
		}
		for _, id := range u.SiteIDs {
			if err := tx.Create(&userSiteRow{UserID: row.ID, SiteID: id}).Error; err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return staff.User{}, translate(err, "user create")
	}
	return s.user(ctx, row)
}

// FindUserByEmail returns an account and its password hash.
func (s *Store) FindUserByEmail(ctx context.Context, email string) (staff.User, string, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("email = ?", email).Take(&row).Error; err != nil {
		return staff.User{}, "", translate(err, "user find")
	}
	u, err := s.user(ctx, row)
	return u, row.PasswordHash, err
}

// FindUserByID returns an account.
func (s *Store) FindUserByID(ctx context.Context, id int64) (staff.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Take(&row, id).Error; err != nil {
		return staff.User{}, translate(err, "user find")
	}
	return s.user(ctx, row)
}

// FindUserByAPIToken returns the account of an API token hash.
func (s *Store) FindUserByAPIToken(ctx context.Context, tokenHash string) (staff.User, error) {
	var row userRow
	if err := s.db.WithContext(ctx).Where("api_token_hash = ?", tokenHash).Take(&row).Error; err != nil {
		return staff.User{}, translate(err, "user find")
	}
	return s.user(ctx, row)
}

// FindUsers returns every account, by email.
func (s *Store) FindUsers(ctx context.Context) ([]staff.User, error) {
	var rows []userRow
	if err := s.db.WithContext(ctx).Order("email").Find(&rows).Error; err != nil {
		return nil, translate(err, "users find")
	}
	out := make([]staff.User, len(rows))
	for i, r := range rows {
		u, err := s.user(ctx, r)
		if err != nil {
			return nil, err
		}
		out[i] = u
	}
	return out, nil
}

// SetAPITokenHash replaces an account's API token.
func (s *Store) SetAPITokenHash(ctx context.Context, userID int64, tokenHash string) error {
	return s.updateUser(ctx, userID, map[string]any{"api_token_hash": tokenHash})
}

// SetPasswordHash replaces an account's password and ends its sessions.
func (s *Store) SetPasswordHash(ctx context.Context, userID int64, hash string) error {
	if err := s.updateUser(ctx, userID, map[string]any{"password_hash": hash}); err != nil {
		return err
	}
	return translate(s.db.WithContext(ctx).Where("user_id = ?", userID).Delete(&sessionRow{}).Error, "sessions delete")
}

func (s *Store) updateUser(ctx context.Context, id int64, set map[string]any) error {
	res := s.db.WithContext(ctx).Model(&userRow{}).Where("id = ?", id).Updates(set)
	if res.Error != nil {
		return translate(res.Error, "user update")
	}
	if res.RowsAffected == 0 {
		return comment.Errorf(comment.NotFound, "There is no such user.")
	}
	return nil
}

type sessionRow struct {
	TokenHash  string `gorm:"primaryKey"`
	UserID     int64
	CSRFToken  string `gorm:"column:csrf_token"`
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
}

func (sessionRow) TableName() string { return "sessions" }

// CreateSession stores a session.
func (s *Store) CreateSession(ctx context.Context, ss staff.Session) error {
	row := sessionRow(ss)
	return translate(s.db.WithContext(ctx).Create(&row).Error, "session create")
}

// FindSession returns a session by its token hash.
func (s *Store) FindSession(ctx context.Context, tokenHash string) (staff.Session, error) {
	var row sessionRow
	if err := s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).Take(&row).Error; err != nil {
		return staff.Session{}, translate(err, "session find")
	}
	return staff.Session(row), nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, tokenHash string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&sessionRow{}).Where("token_hash = ?", tokenHash).Update("last_seen_at", at.UTC()).Error
	return translate(err, "session touch")
}

// DeleteSession ends a session.
func (s *Store) DeleteSession(ctx context.Context, tokenHash string) error {
	return translate(s.db.WithContext(ctx).Where("token_hash = ?", tokenHash).Delete(&sessionRow{}).Error, "session delete")
}

type throttleRow struct {
	Key            string `gorm:"primaryKey"`
	Failures       int
	FirstFailureAt time.Time
	LockedUntil    *time.Time
}

func (throttleRow) TableName() string { return "login_throttle" }

// FindThrottle returns the failed-login record of a key.
func (s *Store) FindThrottle(ctx context.Context, key string) (staff.Throttle, error) {
	var row throttleRow
	if err := s.db.WithContext(ctx).Where("key = ?", key).Take(&row).Error; err != nil {
		return staff.Throttle{}, translate(err, "throttle find")
	}
	t := staff.Throttle{Key: row.Key, Failures: row.Failures, FirstFailureAt: row.FirstFailureAt}
	if row.LockedUntil != nil {
		t.LockedUntil = *row.LockedUntil
	}
	return t, nil
}

// SaveThrottle stores a failed-login record.
func (s *Store) SaveThrottle(ctx context.Context, t staff.Throttle) error {
	row := throttleRow{Key: t.Key, Failures: t.Failures, FirstFailureAt: t.FirstFailureAt.UTC()}
	if !t.LockedUntil.IsZero() {
		lu := t.LockedUntil.UTC()
		row.LockedUntil = &lu
	}
	err := s.db.WithContext(ctx).Clauses(clause.OnConflict{UpdateAll: true}).Create(&row).Error
	return translate(err, "throttle save")
}

// DeleteThrottle forgets a key's failures.
func (s *Store) DeleteThrottle(ctx context.Context, key string) error {
	return translate(s.db.WithContext(ctx).Where("key = ?", key).Delete(&throttleRow{}).Error, "throttle delete")
}
