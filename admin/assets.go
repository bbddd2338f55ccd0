// Package admin holds the admin panel: its html/template pages, CSS and a
// little JavaScript. Nothing else.
package admin

import "embed"

// FS holds the templates (*.html) and static files (*.css, *.js).
//
//go:embed *.html *.css *.js
var FS embed.FS
