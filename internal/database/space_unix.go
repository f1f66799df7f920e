//go:build unix

package database

import (
	"fmt"
	"syscall"
)

// minFreeBytes is the free space below which the SQLite disk counts as
// full: a write transaction needs room for its WAL frames.
const minFreeBytes = 1 << 20

// diskSpace fails with ENOSPC when the file system holding dir is (almost) full.
func diskSpace(dir string) error {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return nil // unknown: the write probe still runs
	}
	if free := st.Bavail * uint64(st.Bsize); free < minFreeBytes {
		return fmt.Errorf("database: %d bytes free in %s: %w", free, dir, syscall.ENOSPC)
	}
	return nil
}
