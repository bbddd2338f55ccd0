package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/store"
)

// transferCmd runs "parley import|export|backup" with PARLEY_DB set to db.
func transferCmd(t *testing.T, db string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errs bytes.Buffer
	env := func(k string) string {
		if k == "PARLEY_DB" {
			return db
		}
		return ""
	}
	err = runTransfer(t.Context(), args, env, &out, &errs)
	return out.String(), errs.String(), err
}

// newParley makes a database with the site blog, as the server leaves it.
func newParley(t *testing.T) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "p.db")
	_, stop, _ := startRun(t, "-addr=127.0.0.1:0", "-db="+db, "-site=blog=https://blog.example")
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	return db
}

// countComments counts the comments of the site blog in db.
func countComments(t *testing.T, db string) int {
	t.Helper()
	st, err := store.Open(t.Context(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sites, err := st.FindSites(t.Context())
	if err != nil || len(sites) == 0 {
		t.Fatalf("sites: %v %v", sites, err)
	}
	_, n, err := st.FindComments(t.Context(), comment.Filter{SiteIDs: []int64{sites[0].ID}})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

const disqusXML = `<?xml version="1.0" encoding="utf-8"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
  <category dsq:id="1"><forum>f</forum><title>General</title></category>
  <thread dsq:id="10"><link>http://old.example/post/</link><title>A post</title><createdAt>2013-09-10T08:00:00Z</createdAt></thread>
  <post dsq:id="200"><message><![CDATA[<p>First <b>post</b><script>alert(1)</script></p>]]></message>
    <createdAt>2013-09-10T09:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam>
    <author><name>Ana</name><email>ana@example.com</email></author><thread dsq:id="10"/></post>
  <post dsq:id="201"><message><![CDATA[<p>A reply</p>]]></message>
    <createdAt>2013-09-10T10:00:00Z</createdAt><isDeleted>false</isDeleted><isSpam>true</isSpam>
    <author><name>Bo</name><email>bo@example.com</email></author><thread dsq:id="10"/><parent dsq:id="200"/></post>
</disqus>
`

func TestTransferCommands(t *testing.T) {
	db := newParley(t)
	dir := t.TempDir()
	small := filepath.Join("..", "..", "transfer", "testdata", "small.jsonl")

	out, errs, err := transferCmd(t, db, "import", "-site", "blog", "-format", "parley", small)
	if err != nil || !strings.Contains(out, "imported 5 comments and 2 new threads into blog") {
		t.Fatalf("import: %q %q %v", out, errs, err)
	}
	if !strings.Contains(errs, "5 comments") || !strings.Contains(errs, "100%") {
		t.Errorf("no final progress line on stderr: %q", errs)
	}
	// Flags after the file work too; the second import adds nothing.
	out, _, err = transferCmd(t, db, "import", small, "-site=blog", "-format=parley")
	if err != nil || !strings.Contains(out, "imported 0 comments") || !strings.Contains(out, "skipped 5: already imported 5") {
		t.Errorf("second import: %q %v", out, err)
	}

	xml := filepath.Join(dir, "disqus.xml")
	if err := os.WriteFile(xml, []byte(disqusXML), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err = transferCmd(t, db, "import", "-site=blog", "-format=disqus", "-map-url", "http://old.example=https://blog.example",
		"-alert-unanswered-since", "2013-01-01", xml)
	if err != nil || !strings.Contains(out, "imported 2 comments and 1 new threads") {
		t.Errorf("disqus import: %q %v", out, err)
	}

	export := filepath.Join(dir, "blog.jsonl")
	_, errs, err = transferCmd(t, db, "export", "-site", "blog", "-o", export)
	if err != nil || !strings.Contains(errs, "exported 7 comments in 3 threads of blog") {
		t.Fatalf("export: %q %v", errs, err)
	}
	file, err := os.ReadFile(export)
	if err != nil || !bytes.HasPrefix(file, []byte(`{"format":"parley","version":1,"site":"blog"`)) ||
		!bytes.HasSuffix(file, []byte(`{"type":"end","threads":3,"comments":7}`+"\n")) {
		t.Errorf("export file:\n%s", file)
	}
	if bytes.Contains(file, []byte("<script")) || !bytes.Contains(file, []byte(`"key":"disqus:200"`)) ||
		!bytes.Contains(file, []byte(`"url":"https://blog.example/post/"`)) {
		t.Errorf("export of the Disqus import:\n%s", file)
	}

	// The export restores into a new Parley.
	other := newParley(t)
	if out, _, err := transferCmd(t, other, "import", "-site=blog", "-format=parley", export); err != nil ||
		!strings.Contains(out, "imported 7 comments and 3 new threads") {
		t.Errorf("restore: %q %v", out, err)
	}
	if n := countComments(t, other); n != 7 {
		t.Errorf("restored %d comments, want 7", n)
	}

	backup := filepath.Join(dir, "backup.db")
	if out, _, err := transferCmd(t, db, "backup", backup); err != nil || !strings.Contains(out, "backed up") {
		t.Fatalf("backup: %q %v", out, err)
	}
	if n := countComments(t, backup); n != 7 {
		t.Errorf("backup holds %d comments, want 7", n)
	}
	if _, _, err := transferCmd(t, db, "backup", backup); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Errorf("a second backup to the same file: %v", err)
	}
}

func TestTransferCommandErrors(t *testing.T) {
	db := newParley(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	if err := os.WriteFile(bad, []byte(`{"format":"parley","version":1}`+"\n"+`{"type":"thread","key":"1","url":"/a/"}`+"\n"+`{"type":"comm`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no file", []string{"import", "-site=blog", "-format=parley"}, "usage: parley import"},
		{"unknown format", []string{"import", "-site=blog", "-format=livefyre", bad}, `unknown format "livefyre"`},
		{"unknown site", []string{"import", "-site=nope", "-format=parley", bad}, `no site named "nope"`},
		{"bad date", []string{"import", "-site=blog", "-format=parley", "-alert-unanswered-since=soon", bad}, "not a date"},
		{"bad map", []string{"import", "-site=blog", "-format=parley", "-map-url=x", bad}, "want old=new"},
		{"missing file", []string{"import", "-site=blog", "-format=parley", filepath.Join(dir, "none")}, "no such file"},
		{"truncated file", []string{"import", "-site=blog", "-format=parley", bad}, "bad.jsonl: transfer: line 3: not a JSON object"},
		{"export without site", []string{"export"}, "usage: parley export"},
		{"no database", []string{"export", "-site=blog", "-db=" + filepath.Join(dir, "none.db")}, "no database at"},
		{"backup without file", []string{"backup"}, "usage: parley backup"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := transferCmd(t, db, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%v: error %v, want %q", tt.args, err, tt.want)
			}
		})
	}
	if _, err := os.Stat(filepath.Join(dir, "none.db")); err == nil {
		t.Error("a command created a database file")
	}
	if n := countComments(t, db); n != 0 {
		t.Errorf("failed imports stored %d comments", n)
	}
}

func TestBackupWhileServing(t *testing.T) {
	db := filepath.Join(t.TempDir(), "live.db")
	addr, _, _ := startRun(t, "-addr=127.0.0.1:0", "-db="+db, "-site=blog=https://blog.example")
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	posted := make(chan int)
	go func() { // readers keep posting while the copy is made
		n := 0
		for ctx.Err() == nil {
			if code, err := postComment(addr, "https://blog.example", "blog", "live"); err == nil && code == 201 {
				n++
			}
		}
		posted <- n
	}()
	for i := range 3 {
		backup := filepath.Join(t.TempDir(), "b.db")
		if _, _, err := transferCmd(t, db, "backup", backup); err != nil {
			t.Fatalf("backup %d: %v", i, err)
		}
		countComments(t, backup) // opens, migrates and reads: the copy is whole
	}
	cancel()
	if n := <-posted; n == 0 {
		t.Error("no comment was posted during the backups")
	}
}
