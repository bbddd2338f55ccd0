package store

import (
	"context"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/transfer"
)

// InSnapshot runs fn over one consistent, read-only view of the database.
// On SQLite it is a deferred transaction, begun by hand on the store's one
// connection (the DSN makes every other transaction take the write lock,
// which would stop a running server's writes for the whole export), so
// other calls on this Store wait until fn returns; on PostgreSQL it is a
// repeatable read transaction.
func (s *Store) InSnapshot(ctx context.Context, fn func(v transfer.View) error) error {
	if s.engine == "postgres" {
		return s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
			return fn(view{db: tx})
		}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	}
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "BEGIN DEFERRED"); err != nil {
		return fmt.Errorf("store: snapshot: %w", err)
	}
	// Only reads happened: rolling back ends the snapshot.
	defer conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
	db := s.txdb.WithContext(ctx).Session(&gorm.Session{NewDB: true})
	db.Statement.ConnPool = conn
	return fn(view{db: db})
}

// Instance returns the random ID of this database (made the first time it
// is asked for), which exports put in the keys of comments written here.
func (s *Store) Instance(ctx context.Context) (string, error) {
	b, err := s.Secret(ctx, "instance_id")
	if err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:8]), nil
}

// Backup writes a consistent copy of a SQLite database to path (which
// must not exist) while the server runs, with VACUUM INTO: the copy is
// compact and needs no WAL file.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.engine != "sqlite" {
		return errors.New("store: backup: the database is PostgreSQL; back it up with pg_dump " +
			"(such as pg_dump --format=custom --file=parley.dump \"$PARLEY_DB\")")
	}
	if _, err := s.sqlDB.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("store: backup to %s: %w", path, err)
	}
	return nil
}

// view reads a site's data for an export.
type view struct {
	db *gorm.DB
}

// ThreadsAfter returns a page of the site's threads, by ID.
func (v view) ThreadsAfter(ctx context.Context, siteID, after int64, limit int) ([]comment.Thread, error) {
	var rows []threadRow
	err := v.db.WithContext(ctx).Where("site_id = ? AND id > ?", siteID, after).Order("id").Limit(limit).Find(&rows).Error
	if err != nil {
		return nil, translate(err, "threads export")
	}
	out := make([]comment.Thread, len(rows))
	for i, r := range rows {
		out[i] = r.thread()
	}
	return out, nil
}

// RecordsAfter returns a page of the site's comments, by ID, with their
// own and their parent's import keys.
func (v view) RecordsAfter(ctx context.Context, siteID, after int64, limit int) ([]transfer.Record, error) {
	// A named, tagged field: gorm does not fill an embedded struct of an
	// unexported type.
	var rows []struct {
		Row       commentRow `gorm:"embedded"`
		ImportKey sql.NullString
		ParentKey sql.NullString
	}
	err := v.db.WithContext(ctx).Table("comments AS c").Select("c.*, p.import_key AS parent_key").
		Joins("LEFT JOIN comments p ON p.id = c.parent_id").
		Where("c.site_id = ? AND c.id > ?", siteID, after).Order("c.id").Limit(limit).Scan(&rows).Error
	if err != nil {
		return nil, translate(err, "comments export")
	}
	out := make([]transfer.Record, len(rows))
	for i, r := range rows {
		out[i] = transfer.Record{Comment: r.Row.comment(), Key: r.ImportKey.String, ParentKey: r.ParentKey.String}
	}
	return out, nil
}
