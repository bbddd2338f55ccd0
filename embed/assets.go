// Package embed holds the comment embed: embed.js, its translations in i18n/
// and the demo blog in demo/. Nothing else.
package embed

import "embed"

// FS holds embed.js, i18n/*.json and demo/.
//
//go:embed *.js i18n demo
var FS embed.FS
