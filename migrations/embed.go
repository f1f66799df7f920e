// Package migrations holds Verdict's versioned SQL schema, one directory per
// dialect, embedded so the binary migrates a database with no files beside it.
package migrations

import "embed"

// FS holds postgres/*.sql and sqlite/*.sql.
//
//go:embed postgres/*.sql sqlite/*.sql
var FS embed.FS
