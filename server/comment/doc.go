// Package comment is the product: sites, threads and comments, the rules that
// govern them (validation, the reader's edit window, visibility, URL keys) and
// the Service that applies them. It declares the interfaces it needs (Store,
// Renderer) and imports only the standard library.
package comment
