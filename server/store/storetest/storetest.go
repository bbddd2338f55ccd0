// Package storetest opens real, migrated databases for tests: a SQLite file
// in the test's temporary directory, or a fresh PostgreSQL database when
// PARLEY_TEST_POSTGRES names a server.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver

	"github.com/parleyhq/parley/server/store"
)

// Engines are the engines every store test runs against.
var Engines = []string{"sqlite", "postgres"}

// Open returns a migrated store on a new SQLite file in tb.TempDir(),
// closed when the test ends. now may be nil for the real clock.
func Open(tb testing.TB, now func() time.Time) *store.Store {
	tb.Helper()
	return OpenEngine(tb, "sqlite", now)
}

// OpenEngine returns a migrated store of the engine, closed (and, for
// PostgreSQL, dropped) when the test ends. A PostgreSQL test is skipped
// when PARLEY_TEST_POSTGRES is not set.
func OpenEngine(tb testing.TB, engine string, now func() time.Time) *store.Store {
	tb.Helper()
	return OpenDSN(tb, NewDSN(tb, engine), now)
}

// NewDSN names a new, empty database of the engine: a SQLite file in
// tb.TempDir(), or a PostgreSQL database dropped when the test ends.
func NewDSN(tb testing.TB, engine string) string {
	tb.Helper()
	if engine == "postgres" {
		return NewPostgresDB(tb)
	}
	return filepath.Join(tb.TempDir(), "parley.db")
}

// OpenDSN opens (and migrates) the database dsn names, closed when the test
// ends. Opening one DSN twice gives two handles on one database, as two
// replicas have.
func OpenDSN(tb testing.TB, dsn string, now func() time.Time) *store.Store {
	tb.Helper()
	st, err := store.Open(tb.Context(), dsn, store.Options{Now: now})
	if err != nil {
		tb.Fatalf("storetest: open: %v", err)
	}
	tb.Cleanup(func() {
		if err := st.Close(); err != nil {
			tb.Errorf("storetest: close: %v", err)
		}
	})
	return st
}

// NewPostgresDB creates an empty database on the server named by
// PARLEY_TEST_POSTGRES (such as postgres://postgres@127.0.0.1:5433/postgres)
// and returns its URL; the database is dropped when the test ends. It skips
// the test when the variable is not set.
func NewPostgresDB(tb testing.TB) string {
	tb.Helper()
	base := os.Getenv("PARLEY_TEST_POSTGRES")
	if base == "" {
		tb.Skip("PARLEY_TEST_POSTGRES not set: PostgreSQL test skipped")
	}
	u, err := url.Parse(base)
	if err != nil {
		tb.Fatalf("storetest: PARLEY_TEST_POSTGRES: %v", err)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		tb.Fatalf("storetest: %v", err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	name := "parley_test_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(tb.Context(), "CREATE DATABASE "+name); err != nil {
		admin.Close()
		tb.Fatalf("storetest: create database: %v", err)
	}
	tb.Cleanup(func() {
		// Runs after the store's own cleanup (cleanups run last-in first-out).
		if _, err := admin.ExecContext(context.Background(), "DROP DATABASE "+name+" WITH (FORCE)"); err != nil {
			tb.Errorf("storetest: drop database: %v", err)
		}
		admin.Close()
	})
	u.Path = "/" + name
	return u.String()
}
