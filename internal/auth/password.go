package auth

import (
	"crypto/rand"
	"errors"
	"fmt"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"
)

// Password limits. bcrypt reads at most 72 bytes; a longer password would be
// silently truncated, so it is refused instead.
const (
	MinPasswordLen   = 12
	MaxPasswordBytes = 72
)

// Hasher hashes and checks passwords with bcrypt.
type Hasher struct {
	Cost int
	// dummy is a hash compared against when the account does not exist, so
	// that a login for an unknown email takes as long as a wrong password.
	dummy []byte
}

// NewHasher returns a Hasher of the given bcrypt cost.
func NewHasher(cost int) (*Hasher, error) {
	dummy, err := bcrypt.GenerateFromPassword([]byte("not-a-real-password"), cost)
	if err != nil {
		return nil, fmt.Errorf("auth: hasher: %w", err)
	}
	return &Hasher{Cost: cost, dummy: dummy}, nil
}

// Hash returns the bcrypt hash of password.
func (h *Hasher) Hash(password string) (string, error) {
	b, err := bcrypt.GenerateFromPassword([]byte(password), h.Cost)
	if err != nil {
		return "", fmt.Errorf("auth: hash password: %w", err)
	}
	return string(b), nil
}

// Check reports whether password matches hash. An empty hash is compared
// against a dummy to keep the timing of unknown accounts the same.
func (h *Hasher) Check(hash, password string) bool {
	if hash == "" {
		_ = bcrypt.CompareHashAndPassword(h.dummy, []byte(password))
		return false
	}
	err := bcrypt.CompareHashAndPassword([]byte(hash), []byte(password))
	return err == nil
}

// passwordProblem returns why password is unacceptable, or "".
func passwordProblem(password string) string {
	switch {
	case utf8.RuneCountInString(password) < MinPasswordLen:
		return fmt.Sprintf("must be at least %d characters", MinPasswordLen)
	case len(password) > MaxPasswordBytes:
		return fmt.Sprintf("must be at most %d bytes", MaxPasswordBytes)
	case !utf8.ValidString(password):
		return "must be valid UTF-8"
	}
	return ""
}

// GeneratePassword returns a random 20-character password.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 20)
	if _, err := rand.Read(b); err != nil {
		panic(errors.New("auth: crypto/rand failed")) // never happens on supported platforms
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
