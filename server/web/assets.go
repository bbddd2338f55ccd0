package web

import (
	"compress/gzip"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"

	"github.com/labstack/echo/v4"
)

// asset is one static file, kept plain and gzipped with a content-hash ETag.
// Files in an embed.FS have no modification time, so the ETag is what lets
// browsers revalidate them.
type asset struct {
	body, gz    []byte
	etag, ctype string
}

// assets holds every static file by its name in the route space:
// "embed.js", "i18n/el.json", "demo/index.html", "themes/light.css".
type assets struct {
	files map[string]*asset
}

// loadAssets reads and compresses every file once, at startup. The admin
// panel's templates are not assets: only its CSS and JS are served.
func loadAssets(embedFS, themesFS, adminFS fs.FS) (*assets, error) {
	a := &assets{files: map[string]*asset{}}
	gz := newGzipPool(gzip.BestCompression)
	for prefix, fsys := range map[string]fs.FS{"": embedFS, "themes/": themesFS, "admin/": adminFS} {
		if fsys == nil {
			continue
		}
		err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || strings.HasSuffix(name, ".go") || (prefix == "admin/" && strings.HasSuffix(name, ".html")) {
				return err
			}
			body, err := fs.ReadFile(fsys, name)
			if err != nil {
				return err
			}
			body = slim(name, body)
			ctype := mime.TypeByExtension(path.Ext(name))
			if ctype == "" {
				ctype = "application/octet-stream"
			}
			compressed, err := gz.compress(body)
			if err != nil {
				return err
			}
			a.files[prefix+name] = &asset{body: body, gz: compressed, etag: etagOf(body), ctype: ctype}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("web: load assets: %w", err)
		}
	}
	return a, nil
}

// AssetNames lists the assets, for tests that fetch each one.
func (s *Server) AssetNames() []string {
	names := make([]string, 0, len(s.assets.files))
	for n := range s.assets.files {
		names = append(names, n)
	}
	return names
}

// serveAsset writes the named asset. The embed's URLs are pasted into blogs
// and never change, so every asset is cached briefly and then revalidated
// with its ETag.
func (s *Server) serveAsset(c echo.Context, name string) error {
	a, ok := s.assets.files[name]
	if !ok {
		return echo.ErrNotFound
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "public, max-age=300")
	// Public files: the embed fetches its translations from the blog's
	// origin, so any page may read them.
	h.Set("Access-Control-Allow-Origin", "*")
	return writeEncoded(c, a.etag, a.body, a.gz, a.ctype)
}

// handleAsset serves one fixed asset.
func (s *Server) handleAsset(name string) echo.HandlerFunc {
	return func(c echo.Context) error { return s.serveAsset(c, name) }
}

// handleAssetDir serves the asset named by the :file parameter under dir.
func (s *Server) handleAssetDir(dir string) echo.HandlerFunc {
	return func(c echo.Context) error {
		file := c.Param("file")
		if strings.ContainsAny(file, "/\\") {
			return echo.ErrNotFound
		}
		return s.serveAsset(c, dir+file)
	}
}

// handleDemo serves the demo blog; a folder's address serves its index.html.
func (s *Server) handleDemo(c echo.Context) error {
	name := c.Param("*")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	if name != path.Clean(name) || strings.HasPrefix(name, "/") {
		return echo.ErrNotFound
	}
	c.Response().Header().Set("Content-Security-Policy",
		"default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
	return s.serveAsset(c, "demo/"+name)
}

func (s *Server) handleDemoRedirect(c echo.Context) error {
	return c.Redirect(http.StatusFound, "/demo/")
}
