package main

import (
	"log/slog"
	"runtime/debug"
)

// memoryHeadroom is what serve needs beside a full public cache: request
// buffers, connections, the admin UI, a miss's garbage.
const memoryHeadroom = 48 << 20

// gcPercent is GOGC under the memory limit. A cache miss leaves a body of
// garbage behind; at the default 100 the collector runs every few MB
// while the cache is small, a sixth of a miss's CPU. The limit, not GOGC,
// then decides the heap's size once the cache fills.
const gcPercent = 400

// limitMemory gives the garbage collector a soft limit of the cache's
// budget plus headroom, unless GOMEMLIMIT sets one: with GOGC alone the
// heap grows to about twice what a full cache keeps alive. The cache's
// byte bound is what keeps memory flat; the limit only stops the collector
// from waiting for that doubling, and lets it run less often below it
// (unless GOGC is set). It returns a func restoring the old settings.
func limitMemory(getenv func(string) string, cacheBytes int64, log *slog.Logger) (restore func()) {
	if getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := cacheBytes + memoryHeadroom
	prevLimit := debug.SetMemoryLimit(limit)
	restoreGC := func() {}
	if getenv("GOGC") == "" {
		prevGC := debug.SetGCPercent(gcPercent)
		restoreGC = func() { debug.SetGCPercent(prevGC) }
	}
	log.Info("memory limit", "bytes", limit, "why", "VERDICT_CACHE_BYTES plus headroom; GOMEMLIMIT overrides")
	return func() { debug.SetMemoryLimit(prevLimit); restoreGC() }
}
