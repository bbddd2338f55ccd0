// Package themes holds the CSS themes of the comment embed. Nothing else.
package themes

import "embed"

// FS holds base.css and the light, dark and auto themes.
//
//go:embed *.css
var FS embed.FS
