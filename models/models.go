// Package models holds the GORM row structs: one per table, gorm tags only.
// They are storage shapes, never the API contract; internal/store converts
// them to and from domain types.
package models

import "time"

// User is a row of users.
type User struct {
	ID           string `gorm:"primaryKey"`
	Email        string
	Name         string
	Role         string
	PasswordHash string
	Version      int
	DisabledAt   *time.Time
	LastLoginAt  *time.Time
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// RefreshToken is a row of refresh_tokens. Tokens of one login share a
// FamilyID so that reuse of a rotated token can revoke the whole chain.
type RefreshToken struct {
	ID        string `gorm:"primaryKey"`
	UserID    string
	FamilyID  string
	TokenHash string
	CreatedAt time.Time
	ExpiresAt time.Time
	UsedAt    *time.Time
	RevokedAt *time.Time
}

// APIToken is a row of api_tokens.
type APIToken struct {
	ID          string `gorm:"primaryKey"`
	Name        string
	Scope       string
	TokenHash   string
	Prefix      string
	CreatedByID *string
	CreatedAt   time.Time
	ExpiresAt   *time.Time
	LastUsedAt  *time.Time
	RevokedAt   *time.Time
}

// Throttle is a row of throttles: a fixed-window hit counter.
type Throttle struct {
	Key         string `gorm:"primaryKey"`
	Hits        int
	WindowStart int64
}
