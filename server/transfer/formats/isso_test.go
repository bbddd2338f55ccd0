package formats

import (
	"database/sql"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/parleyhq/parley/server/transfer"
)

func issoWant(tb testing.TB) []transfer.Item {
	at := clock(tb)
	return []transfer.Item{
		&transfer.Thread{Key: "isso:thread:1", URL: "/2017/05/hvar-by-bike/", Title: "Hvar by bike: Stari Grad to Jelsa"},
		&transfer.Thread{Key: "isso:thread:2", URL: "/2018/02/krakow-in-winter/", Title: "Kraków zimą"},
		&transfer.Thread{Key: "isso:thread:3", URL: "/2019/07/meteora-at-dawn/", Title: "Μετέωρα at dawn"},
		&transfer.Thread{Key: "isso:thread:4", URL: "/contact/"},

		&transfer.Comment{Key: "isso:1", ThreadKey: "isso:thread:1",
			Author: "Marko Perić", Email: "marko.peric@example.hr",
			Body:   "Odlična ruta! Uspon iz Starog Grada je **brutalan** u srpnju, krenite rano.",
			Status: approved, CreatedAt: at("2017-05-09T09:01:52.482193Z")},
		&transfer.Comment{Key: "isso:2", ThreadKey: "isso:thread:1", ParentKey: "isso:1",
			Author: "Sophie", Email: "sophie@example.fr", Website: "https://sophie-rides.example.fr",
			Body:   "Thanks! We left at 6:30 and still melted. How long did it take you?",
			Status: approved, CreatedAt: at("2017-05-09T10:00:01Z")},
		&transfer.Comment{Key: "isso:3", ThreadKey: "isso:thread:1", ParentKey: "isso:2",
			Author: "Marko Perić", Email: "marko.peric@example.hr",
			Body:   "About 2 hours with stops. The descent to Jelsa makes up for it.",
			Status: approved, CreatedAt: at("2017-05-09T11:40:00.75Z")},
		&transfer.Comment{Key: "isso:4", ThreadKey: "isso:thread:1", ParentKey: "isso:3",
			Body:   "Good to know, thanks both :)",
			Status: approved, CreatedAt: at("2017-05-09T12:00:34.5Z")},
		&transfer.Comment{Key: "isso:5", ThreadKey: "isso:thread:1",
			Author: "Lena", Email: "lena@example.de",
			Body:   "Is the road via Pitve open for bikes, or only the tunnel?",
			Status: pending, CreatedAt: at("2017-05-10T07:06:40Z")},
		&transfer.Comment{Key: "isso:6", ThreadKey: "isso:thread:2",
			Status: deleted, CreatedAt: at("2018-02-07T10:40:00.123456Z")},
		&transfer.Comment{Key: "isso:7", ThreadKey: "isso:thread:2", ParentKey: "isso:6",
			Author: "Tomasz Nowak", Email: "tnowak@example.pl", Website: "https://tomasz.example.pl",
			Body:   "Rynek at -15°C is magical, but bring *real* gloves.\n\nAnd try **oscypek** from the stalls.",
			Status: approved, CreatedAt: at("2018-02-07T11:40:00Z")},
		&transfer.Comment{Key: "isso:8", ThreadKey: "isso:thread:2", ParentKey: "isso:7",
			Author: "Zofia", Email: "zofia@example.pl",
			Body:   "Oscypek z żurawiną — obowiązkowo!",
			Status: approved, CreatedAt: at("2018-02-07T12:40:00Z")},
		&transfer.Comment{Key: "isso:9", ThreadKey: "isso:thread:2",
			Author: "Greg",
			Body:   "My list so far:\n\n- Wawel\n- Kazimierz\n- Nowa Huta\n\nDid I miss anything?",
			Status: approved, CreatedAt: at("2018-02-08T14:26:40.5Z")},
		&transfer.Comment{Key: "isso:10", ThreadKey: "isso:thread:3",
			Author: "Κατερίνα", Email: "katerina@example.gr",
			Body:   "Ξυπνήσαμε στις 4:30 για την ανατολή πάνω από το Μεγάλο Μετέωρο. Άξιζε κάθε λεπτό!",
			Status: approved, CreatedAt: at("2019-07-03T05:00:00Z")},
		&transfer.Comment{Key: "isso:11", ThreadKey: "isso:thread:3", ParentKey: "isso:10",
			Author: "Ben", Email: "ben@example.com",
			Body:   "Which monastery lets you in that early? `Varlaam` was closed for us.",
			Status: approved, CreatedAt: at("2019-07-03T07:46:40.25Z")},
		&transfer.Comment{Key: "isso:12", ThreadKey: "isso:thread:3", ParentKey: "isso:11",
			Author: "Κατερίνα", Email: "katerina@example.gr",
			Body:   "Κανένα — we watched from the rocks by the road. Τα μοναστήρια ανοίγουν στις 9.",
			Status: approved, CreatedAt: at("2019-07-03T10:33:20Z")},
		&transfer.Comment{Key: "isso:13", ThreadKey: "isso:thread:3",
			Author: "watches", Email: "sales@watches.example.net", Website: "http://watches.example.net",
			Body:   "Cheap replica watches http://watches.example.net",
			Status: pending, CreatedAt: at("2019-07-04T00:26:40Z")},
	}
}

// buildIsso builds testdata/isso.sql into a database file and returns its path.
func buildIsso(tb testing.TB) string {
	tb.Helper()
	script, err := os.ReadFile(filepath.Join("testdata", "isso.sql"))
	if err != nil {
		tb.Fatal(err)
	}
	return issoDB(tb, "isso.db", string(script))
}

// issoDB runs a SQL script into a new database file in a temporary directory.
func issoDB(tb testing.TB, name, script string) string {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), name)
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		tb.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(tb.Context(), script); err != nil {
		tb.Fatal(err)
	}
	return path
}

func issoFile(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(buildIsso(tb))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func openIssoBytes(tb testing.TB, data []byte) (transfer.Reader, error) {
	tb.Helper()
	path := filepath.Join(tb.TempDir(), "copy.db")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return NewIsso(path)
}

const issoSchema = `
CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
CREATE TABLE comments (tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
    created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR, text VARCHAR,
    author VARCHAR, email VARCHAR, website VARCHAR, likes INTEGER DEFAULT 0,
    dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL, notification INTEGER DEFAULT 0);
INSERT INTO threads VALUES (1, '/a/', 'A');
`

func TestIssoErrors(t *testing.T) {
	tests := []struct {
		name  string
		path  func(testing.TB) string
		where string // "" for an error that is not a SourceError
	}{
		{"missing file", func(tb testing.TB) string { return filepath.Join(tb.TempDir(), "nope.db") }, ""},
		{"not a database", func(tb testing.TB) string {
			path := filepath.Join(tb.TempDir(), "isso.db")
			if err := os.WriteFile(path, []byte("# just some notes, not SQLite\n"), 0o600); err != nil {
				tb.Fatal(err)
			}
			return path
		}, "path"},
		{"not Isso's", func(tb testing.TB) string { return issoDB(tb, "other.db", "CREATE TABLE posts (id INTEGER);") }, "path"},
		{"bad created", func(tb testing.TB) string {
			return issoDB(tb, "isso.db", issoSchema+`INSERT INTO comments VALUES (1, 7, NULL, 'yesterday', NULL, 1, '', 'x', NULL, NULL, NULL, 0, 0, x'', 0);`)
		}, "comment id 7"},
		{"unknown mode", func(tb testing.TB) string {
			return issoDB(tb, "isso.db", issoSchema+`INSERT INTO comments VALUES (1, 8, NULL, 1494320512.5, NULL, 3, '', 'x', NULL, NULL, NULL, 0, 0, x'', 0);`)
		}, "comment id 8"},
		{"comment without thread", func(tb testing.TB) string {
			return issoDB(tb, "isso.db", issoSchema+`INSERT INTO comments VALUES (NULL, 9, NULL, 1494320512.5, NULL, 1, '', 'x', NULL, NULL, NULL, 0, 0, x'', 0);`)
		}, "comment id 9"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := tt.path(t)
			r, err := NewIsso(path)
			if err == nil {
				_, err = readAll(t, r)
			}
			var se *transfer.SourceError
			switch {
			case err == nil:
				t.Fatal("no error")
			case tt.where == "":
				if errors.As(err, &se) || !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("err = %v, want fs.ErrNotExist and no SourceError", err)
				}
			case !errors.As(err, &se):
				t.Errorf("err = %v, want a *transfer.SourceError", err)
			case tt.where == "path" && se.Where != path, tt.where != "path" && se.Where != tt.where:
				t.Errorf("Where = %q, want %q (%v)", se.Where, tt.where, err)
			}
		})
	}
}

// TestIssoPath opens a database whose path holds the characters a file:
// URI gives meaning to, and uses the reader after Close.
func TestIssoPath(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "comments #1? 100%")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "isso.db")
	if err := os.WriteFile(path, issoFile(t), 0o600); err != nil {
		t.Fatal(err)
	}
	r, err := NewIsso(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Next(); err != nil {
		t.Fatal(err)
	}
	c := r.(io.Closer)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := r.Next(); err == nil {
		t.Error("Next after Close: no error")
	}
}
