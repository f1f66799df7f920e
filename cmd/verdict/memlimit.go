package main

import (
	"log/slog"
	"runtime/debug"
)

// memoryHeadroom is what serve needs beside a full public cache: request
// buffers, connections, the admin UI, a miss's garbage.
const memoryHeadroom = 48 << 20

// limitMemory gives the garbage collector a soft limit of the cache's
// budget plus headroom, unless GOMEMLIMIT sets one: with GOGC alone the
// heap grows to about twice what a full cache keeps alive. The cache's
// byte bound is what keeps memory flat; the limit only stops the collector
// from waiting for that doubling. It returns a func restoring the old limit.
func limitMemory(getenv func(string) string, cacheBytes int64, log *slog.Logger) (restore func()) {
	if getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	limit := cacheBytes + memoryHeadroom
	prev := debug.SetMemoryLimit(limit)
	log.Info("memory limit", "bytes", limit, "why", "VERDICT_CACHE_BYTES plus headroom; GOMEMLIMIT overrides")
	return func() { debug.SetMemoryLimit(prev) }
}
