package store

import (
	"context"

	"gorm.io/gorm"

	"github.com/parleyhq/parley/server/comment"
)

// InTx runs fn with a Store bound to one transaction, committed when fn
// returns nil and rolled back otherwise.
func (s *Store) InTx(ctx context.Context, fn func(tx comment.Store) error) error {
	return s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		return fn(&Store{db: tx, txdb: tx, sqlDB: s.sqlDB, engine: s.engine, dsn: s.dsn})
	})
}
