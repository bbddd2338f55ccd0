package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/parleyhq/parley/server/comment"
)

// Importer imports an uploaded file into a site (main wires package
// transfer over the store). progress is called as the import goes.
type Importer interface {
	Import(ctx context.Context, site comment.Site, format, path string, progress func(ImportProgress)) (ImportResult, error)
}

// ImportProgress is how far an import has come.
type ImportProgress struct {
	Records, Comments, Skipped int
	BytesRead, BytesTotal      int64
}

// ImportResult is what an import did.
type ImportResult struct {
	Threads, Comments, Skipped int
	Reasons                    map[string]int // skipped or changed records, by reason
}

// importFormats are the formats the panel offers.
func importFormats() []string {
	return []string{"disqus", "wordpress", "isso", "remark42", "commento", "parley"}
}

// keptJobs is how many finished imports the panel lists.
const keptJobs = 20

// MaxImportBytes bounds an uploaded import file.
const MaxImportBytes = 2 << 30

// importJob is one import started from the panel. Jobs live in memory: a
// restart forgets them (the import itself is one transaction, so it either
// finished or left nothing).
type importJob struct {
	ID       string
	Site     string
	Format   string
	File     string
	Started  time.Time
	Finished time.Time
	Progress ImportProgress
	Result   ImportResult
	Err      string
}

// Running reports whether the job has not finished.
func (j importJob) Running() bool { return j.Finished.IsZero() }

// Percent is how much of the file was read.
func (j importJob) Percent() int {
	if j.Progress.BytesTotal <= 0 {
		return 0
	}
	return int(100 * j.Progress.BytesRead / j.Progress.BytesTotal)
}

type importJobs struct {
	mu   sync.Mutex
	jobs map[string]*importJob
}

func (js *importJobs) get(id string) (importJob, bool) {
	js.mu.Lock()
	defer js.mu.Unlock()
	j, ok := js.jobs[id]
	if !ok {
		return importJob{}, false
	}
	return *j, true
}

func (js *importJobs) list() []importJob {
	js.mu.Lock()
	defer js.mu.Unlock()
	out := make([]importJob, 0, len(js.jobs))
	for _, j := range js.jobs {
		out = append(out, *j)
	}
	slices.SortFunc(out, func(a, b importJob) int { return b.Started.Compare(a.Started) })
	return out
}

// start registers a job, unless one is running: imports on SQLite hold the
// write lock, so one at a time.
func (js *importJobs) start(j *importJob) bool {
	js.mu.Lock()
	defer js.mu.Unlock()
	var oldest *importJob
	for _, o := range js.jobs {
		if o.Running() {
			return false
		}
		if oldest == nil || o.Started.Before(oldest.Started) {
			oldest = o
		}
	}
	if len(js.jobs) >= keptJobs {
		delete(js.jobs, oldest.ID)
	}
	js.jobs[j.ID] = j
	return true
}

func (js *importJobs) update(id string, f func(*importJob)) {
	js.mu.Lock()
	defer js.mu.Unlock()
	f(js.jobs[id])
}

type importPage struct {
	Formats []string
	Jobs    []importJob
	Job     *importJob
}

// handleImportPage answers GET /admin/import (owners only): the upload form
// and the imports of this server's run.
func (s *Server) handleImportPage(c echo.Context) error {
	if !actor(c).Owner {
		return comment.Errorf(comment.Forbidden, "Only an owner may import comments.")
	}
	p := s.newPage(c, "Import", "import")
	p.Data = importPage{Formats: importFormats(), Jobs: s.imports.list()}
	return s.render(c, http.StatusOK, "import", p)
}

// handleImportJobPage answers GET /admin/import/:id: one import's progress
// (the page reloads itself while it runs) or its summary.
func (s *Server) handleImportJobPage(c echo.Context) error {
	if !actor(c).Owner {
		return comment.Errorf(comment.Forbidden, "Only an owner may import comments.")
	}
	j, ok := s.imports.get(c.Param("id"))
	if !ok {
		return comment.Errorf(comment.NotFound, "There is no such import (imports are forgotten when Parley restarts).")
	}
	p := s.newPage(c, "Import", "import")
	p.Data = importPage{Formats: importFormats(), Job: &j}
	if j.Running() {
		p.Refresh = 2
	}
	return s.render(c, http.StatusOK, "import", p)
}

// handleImportUpload answers POST /admin/import: it keeps the uploaded file
// and starts the import in the background.
func (s *Server) handleImportUpload(c echo.Context) error {
	a := actor(c)
	if !a.Owner {
		return comment.Errorf(comment.Forbidden, "Only an owner may import comments.")
	}
	if s.importer == nil {
		return comment.Errorf(comment.Conflict, "Imports are not available on this server; use parley import.")
	}
	site, err := s.svc.Site(c.FormValue("site"))
	if err != nil {
		return comment.FieldError("site", "Choose a site.")
	}
	format := c.FormValue("format")
	if !slices.Contains(importFormats(), format) {
		return comment.FieldError("format", "Choose the format of the file.")
	}
	fh, err := c.FormFile("file")
	if err != nil {
		return comment.FieldError("file", "Choose the file to import.")
	}
	path, err := keepUpload(fh)
	if err != nil {
		return err
	}
	j := &importJob{ID: newJobID(), Site: site.Name, Format: format, File: fh.Filename, Started: s.now()}
	if !s.imports.start(j) {
		os.Remove(path)
		return comment.Errorf(comment.Conflict, "An import is running; wait for it to finish.")
	}
	go s.runImport(j.ID, site, format, path)
	return c.Redirect(http.StatusSeeOther, "/admin/import/"+j.ID)
}

// keepUpload copies the upload to a file of its own (the request's
// temporary files go when it ends).
func keepUpload(fh *multipart.FileHeader) (string, error) {
	src, err := fh.Open()
	if err != nil {
		return "", err
	}
	defer src.Close()
	dst, err := os.CreateTemp("", "parley-import-*")
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		os.Remove(dst.Name())
		return "", err
	}
	return dst.Name(), dst.Close()
}

func (s *Server) runImport(id string, site comment.Site, format, path string) {
	defer os.Remove(path)
	res, err := s.importer.Import(context.Background(), site, format, path, func(p ImportProgress) {
		s.imports.update(id, func(j *importJob) { j.Progress = p })
	})
	s.imports.update(id, func(j *importJob) {
		j.Finished, j.Result = s.now(), res
		if err != nil {
			j.Err = "The import failed; nothing was imported. See the server log."
			var ce *comment.Error
			if errors.As(err, &ce) {
				j.Err = ce.Message + " Nothing was imported."
			}
		}
	})
	if err != nil {
		s.log.Warn("import", "site", site.Name, "format", format, "err", err)
		return
	}
	// Every thread of the site may have changed, on every replica.
	s.Resync()
	s.publish(context.Background(), s.replica+" a")
}

// newJobID names an import.
func newJobID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
