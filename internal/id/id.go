// Package id makes identifiers and secrets.
package id

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	"github.com/google/uuid"
)

// New returns a UUIDv7: unique, and ordered by creation time, so that it can
// serve as the tie-breaker of a stable keyset order.
func New() string {
	return uuid.Must(uuid.NewV7()).String()
}

// Valid reports whether s is a well-formed ID, so that a malformed path
// parameter is answered as not found without reaching the database.
func Valid(s string) bool {
	return len(s) == 36 && uuid.Validate(s) == nil
}

// Secret returns prefix followed by 256 random bits, URL-safe.
func Secret(prefix string) string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

// Hash is the stored form of a high-entropy secret. SHA-256 suffices: the
// secret has 256 random bits, so there is nothing to brute-force.
func Hash(secret string) string {
	s := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(s[:])
}
