// Package store keeps Parley's data with gorm: SQLite as the embedded
// default, PostgreSQL for deployments of several replicas. It owns the schema (embedded, numbered SQL migrations), the row
// types and the queries, and translates database errors into comment.Error
// codes at its edge. It imports comment and gorm.
package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"time"

	"gorm.io/driver/postgres"
	"gorm.io/driver/sqlite"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/parleyhq/parley/server/comment"
)

//go:embed migrations
var migrations embed.FS

// Store is Parley's database.
type Store struct {
	db *gorm.DB
	// txdb runs transactions on the same connections without prepared
	// statements. gorm's statement cache waits for a statement being
	// prepared while holding its lock; a transaction that needed that lock
	// to prepare its own statement, while holding SQLite's one connection
	// the preparation waits for, deadlocked the server.
	txdb   *gorm.DB
	sqlDB  *sql.DB
	engine string
	dsn    string // for the connection that listens for changes
}

// Options configure Open.
type Options struct {
	// Now is the clock gorm uses for timestamps; time.Now when nil.
	Now func() time.Time
	// Log receives gorm's warnings and errors (slow queries at Warn).
	Log *slog.Logger
}

// Open opens the database named by dsn and applies every migration not yet
// applied. A dsn starting with postgres:// or postgresql:// selects
// PostgreSQL; anything else is the path of a SQLite file, created if needed.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	if dsn == "" {
		return nil, errors.New("store: open: no database")
	}
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	log := opt.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	engine, dialector := "sqlite", sqlite.Open(sqliteDSN(dsn))
	if IsPostgres(dsn) {
		engine, dialector = "postgres", postgres.Open(dsn)
	}
	cfg := func(prepare bool) *gorm.Config {
		return &gorm.Config{
			TranslateError:         true,
			SkipDefaultTransaction: true,
			PrepareStmt:            prepare,
			NowFunc:                func() time.Time { return now().UTC() },
			Logger: logger.NewSlogLogger(log, logger.Config{
				SlowThreshold:             200 * time.Millisecond,
				LogLevel:                  logger.Warn,
				IgnoreRecordNotFoundError: true,
				// Slow-query lines show the SQL without its values: they may
				// be email addresses or token hashes.
				ParameterizedQueries: true,
			}),
		}
	}
	db, err := gorm.Open(dialector, cfg(true))
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", redact(dsn), err)
	}
	sqlDB, err := db.DB()
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", redact(dsn), err)
	}
	txDialector := sqlite.New(sqlite.Config{Conn: sqlDB})
	if engine == "postgres" {
		txDialector = postgres.New(postgres.Config{Conn: sqlDB})
	}
	txdb, err := gorm.Open(txDialector, cfg(false))
	if err != nil {
		sqlDB.Close()
		return nil, fmt.Errorf("store: open %s: %w", redact(dsn), err)
	}
	if engine == "sqlite" {
		// SQLite allows one writer at a time; one connection makes gorm
		// queue writers in Go instead of spinning on SQLITE_BUSY. Thread
		// reads are served from the web cache, which rebuilds a thread once
		// per write however many read it, so the single connection is not
		// the limit (see docs/BENCHMARKS.md).
		sqlDB.SetMaxOpenConns(1)
	} else {
		sqlDB.SetMaxOpenConns(16)
		sqlDB.SetMaxIdleConns(16)
		sqlDB.SetConnMaxIdleTime(5 * time.Minute)
	}
	s := &Store{db: db, txdb: txdb, sqlDB: sqlDB, engine: engine, dsn: dsn}
	if err := s.migrate(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	if err := s.Analyze(ctx); err != nil {
		sqlDB.Close()
		return nil, err
	}
	return s, nil
}

// Analyze refreshes the statistics the query planner chooses indexes by.
// SQLite keeps none on its own: without them it can pick the index of all
// of a site's comments over the small partial index of its open ones, and
// the inbox of a large site gets slow. analysis_limit keeps this to a few
// milliseconds however large the database.
func (s *Store) Analyze(ctx context.Context) error {
	if s.engine != "sqlite" {
		return nil // PostgreSQL's autovacuum keeps its statistics.
	}
	conn, err := s.sqlDB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("store: analyze: %w", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "PRAGMA analysis_limit = 1000; ANALYZE;"); err != nil {
		return fmt.Errorf("store: analyze: %w", err)
	}
	return nil
}

// Run keeps the planner's statistics fresh as the database grows, every
// interval until ctx is done.
func (s *Store) Run(ctx context.Context, interval time.Duration, log *slog.Logger) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := s.Analyze(ctx); err != nil && ctx.Err() == nil {
				log.Warn("database statistics not refreshed", "error", err)
			}
		}
	}
}

// IsPostgres reports whether dsn names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// sqliteDSN adds the pragmas to a SQLite path. WAL lets readers go on while
// the one writer writes; synchronous=NORMAL is durable against a crash of
// Parley (the WAL is in the OS) and costs one fsync per checkpoint instead of
// one per comment. _txlock=immediate takes the write lock at BEGIN, so a
// transaction never fails half-way with SQLITE_BUSY.
func sqliteDSN(path string) string {
	return "file:" + (&url.URL{Path: path}).EscapedPath() +
		"?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=NORMAL&_txlock=immediate"
}

// redact hides the password of a PostgreSQL URL in messages.
func redact(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.User == nil {
		return dsn
	}
	return u.Redacted()
}

// Close closes the database.
func (s *Store) Close() error {
	if err := s.sqlDB.Close(); err != nil {
		return fmt.Errorf("store: close: %w", err)
	}
	return nil
}

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.sqlDB.PingContext(ctx); err != nil {
		return fmt.Errorf("store: ping: %w", err)
	}
	return nil
}

// migrationLock is the PostgreSQL advisory lock key of migrations.
const migrationLock = 7_263_531_001

// migrate applies, in order and each in its own transaction, every migration
// of the engine that schema_migrations does not list yet.
func (s *Store) migrate(ctx context.Context) error {
	if s.engine == "postgres" {
		// Replicas starting together take turns: the lock is held by one
		// connection until the migrations are done.
		conn, err := s.sqlDB.Conn(ctx)
		if err != nil {
			return fmt.Errorf("store: migrate: %w", err)
		}
		defer conn.Close()
		if _, err := conn.ExecContext(ctx, "SELECT pg_advisory_lock($1)", migrationLock); err != nil {
			return fmt.Errorf("store: migrate: lock: %w", err)
		}
		defer conn.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", migrationLock)
	}
	db := s.db.WithContext(ctx)
	if err := db.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TIMESTAMP NOT NULL)`).Error; err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	dir := "migrations/" + s.engine
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".sql") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	for _, name := range names {
		var n int64
		if err := db.Table("schema_migrations").Where("name = ?", name).Count(&n).Error; err != nil {
			return fmt.Errorf("store: migrate %s: %w", name, err)
		}
		if n > 0 {
			continue
		}
		body, err := fs.ReadFile(migrations, dir+"/"+name)
		if err != nil {
			return fmt.Errorf("store: migrate %s: %w", name, err)
		}
		// database/sql rather than gorm: a migration holds several
		// statements, and gorm's prepared statements would run only the first.
		err = s.execTx(ctx, string(body), "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)", name, time.Now().UTC())
		if err != nil {
			return fmt.Errorf("store: migrate %s: %w", name, err)
		}
	}
	return nil
}

// execTx runs script, then stmt with args, in one transaction.
func (s *Store) execTx(ctx context.Context, script, stmt string, args ...any) error {
	tx, err := s.sqlDB.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, script); err != nil {
		tx.Rollback()
		return err
	}
	if _, err := tx.ExecContext(ctx, stmt, args...); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// Secret returns the named server secret, creating a random 32-byte one the
// first time it is asked for.
func (s *Store) Secret(ctx context.Context, name string) ([]byte, error) {
	var value []byte
	err := s.txdb.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var row secretRow
		err := tx.Where("name = ?", name).Take(&row).Error
		if err == nil {
			value = row.Value
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		value = make([]byte, 32)
		if _, err := rand.Read(value); err != nil {
			return err
		}
		return tx.Create(&secretRow{Name: name, Value: value}).Error
	})
	if err != nil {
		return nil, fmt.Errorf("store: secret %s: %w", name, err)
	}
	return value, nil
}

type secretRow struct {
	Name  string `gorm:"primaryKey"`
	Value []byte
}

func (secretRow) TableName() string { return "secrets" }

// translate maps gorm's errors to comment codes; what names the operation.
func translate(err error, what string) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, gorm.ErrRecordNotFound):
		return &comment.Error{Code: comment.NotFound, Message: "There is no such " + strings.Fields(what)[0] + "."}
	case errors.Is(err, gorm.ErrDuplicatedKey):
		return &comment.Error{Code: comment.Conflict, Message: "That " + strings.Fields(what)[0] + " already exists."}
	}
	return fmt.Errorf("store: %s: %w", what, err)
}
