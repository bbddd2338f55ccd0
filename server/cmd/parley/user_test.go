package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// stdinWith returns a file whose content is s, standing in for a pipe.
func stdinWith(t *testing.T, s string) *os.File {
	t.Helper()
	path := filepath.Join(t.TempDir(), "stdin")
	if err := os.WriteFile(path, []byte(s), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestUserCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "u.db")
	env := func(k string) string {
		if k == "PARLEY_DB" {
			return db
		}
		return ""
	}
	// A site must exist before staff can be given it.
	_, stop, _ := startRun(t, "-addr=127.0.0.1:0", "-db="+db, "-site=blog=https://blog.example")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := runUser(t.Context(), []string{"add", "-email", "Owner@Acme.example", "-role", "owner"}, env, stdinWith(t, "a long enough password\n"), &out); err != nil {
		t.Fatalf("add owner: %v", err)
	}
	if err := runUser(t.Context(), []string{"add", "-email", "ana@acme.example", "-sites", "blog"}, env, stdinWith(t, "another password!"), &out); err != nil {
		t.Fatalf("add staff: %v", err)
	}
	for _, bad := range [][]string{
		{"add", "-email", "owner@acme.example", "-role", "owner"}, // taken
		{"add", "-email", "x@acme.example", "-sites", "nope"},     // unknown site
		{"add", "-email", "y@acme.example", "-role", "superuser"}, // unknown role
		{"add", "-email", "not-an-email"},                         // bad email
		{"frobnicate"},                                            // unknown verb
	} {
		if err := runUser(t.Context(), bad, env, stdinWith(t, "a long enough password\n"), &out); err == nil {
			t.Errorf("runUser(%v) accepted", bad)
		}
	}
	if err := runUser(t.Context(), []string{"add", "-email", "z@acme.example"}, env, stdinWith(t, "short\n"), &out); err == nil {
		t.Error("a short password was accepted")
	}
	out.Reset()
	if err := runUser(t.Context(), []string{"list"}, env, stdinWith(t, ""), &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "owner@acme.example\towner") || !strings.Contains(out.String(), "ana@acme.example\tstaff\tana\tsites [1]") {
		t.Errorf("list:\n%s", out.String())
	}
	out.Reset()
	if err := runUser(t.Context(), []string{"token", "-email", "ana@acme.example"}, env, stdinWith(t, ""), &out); err != nil || !strings.HasPrefix(out.String(), "pk_") {
		t.Errorf("token: %q %v", out.String(), err)
	}
	if strings.Contains(out.String(), "password") {
		t.Error("a password was printed")
	}
}
