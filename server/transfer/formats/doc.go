// Package formats reads other comment systems' exports into transfer
// records: Disqus XML, WordPress WXR, an Isso SQLite database, a Remark42
// backup and a Commento JSON export. Each reader streams: memory grows
// with the largest single record (and, where a format names threads or
// commenters only by reference, with the number of threads or
// commenters), never with the file.
//
// Every constructor returns a transfer.Reader. Readers also offer two
// optional methods, which the importer finds with a type assertion:
//
//   - Skipped() map[string]int: how many comments were left out on
//     purpose, by reason (WordPress pingbacks, say). Every reader here has
//     it; the map is a copy and is complete once Next has returned io.EOF.
//   - Close() error (io.Closer): the Isso reader holds a database handle
//     and the Commento reader may hold a temporary file. Call Close when
//     done, even after an error; it is safe to call twice.
//
// The byte-stream readers accept their input gzipped as well as plain,
// because Disqus, Remark42 and Commento hand out their exports gzipped.
//
// Keys are prefixed with the format's name ("disqus:", "wordpress:", …),
// so that imports from two systems into one site cannot collide.
//
// It imports transfer, comment and the SQLite driver.
package formats
