package auth

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/id"
)

// NewAPIToken is the input for CreateAPIToken.
type NewAPIToken struct {
	Name      string
	Scope     Scope
	ExpiresAt *time.Time
	CreatedBy string
}

// CreateAPIToken makes a token and returns it with its secret. Only the
// secret's hash is stored: the secret cannot be shown again.
func (s *Service) CreateAPIToken(ctx context.Context, in NewAPIToken) (*APIToken, string, error) {
	var fe apperr.Fields
	name := strings.TrimSpace(in.Name)
	switch {
	case name == "":
		fe.Add("name", "required", "is required")
	case utf8.RuneCountInString(name) > maxNameLen:
		fe.Add("name", "too_long", "must be at most 200 characters")
	}
	if !in.Scope.Valid() {
		fe.Add("scope", "invalid", "must be content:read or content:preview")
	}
	now := s.now()
	if in.ExpiresAt != nil && !in.ExpiresAt.After(now) {
		fe.Add("expires_at", "invalid", "must be in the future")
	}
	if err := fe.Err(); err != nil {
		return nil, "", err
	}
	secret := id.Secret(APITokenPrefix)
	t := &APIToken{
		ID: id.New(), Name: name, Scope: in.Scope, TokenHash: id.Hash(secret),
		Prefix: secret[:len(APITokenPrefix)+6], CreatedAt: now, ExpiresAt: in.ExpiresAt,
	}
	if in.CreatedBy != "" {
		t.CreatedByID = &in.CreatedBy
	}
	if t.ExpiresAt != nil {
		utc := t.ExpiresAt.UTC()
		t.ExpiresAt = &utc
	}
	if err := s.store.CreateAPIToken(ctx, t); err != nil {
		return nil, "", err
	}
	return t, secret, nil
}

// APITokens lists every token, revoked ones included, newest last.
func (s *Service) APITokens(ctx context.Context) ([]*APIToken, error) {
	return s.store.ListAPITokens(ctx)
}

// RevokeAPIToken stops a token from working, at once.
func (s *Service) RevokeAPIToken(ctx context.Context, tokenID string) error {
	if !id.Valid(tokenID) {
		return apperr.New(apperr.NotFound, "no such API token")
	}
	return s.store.RevokeAPIToken(ctx, tokenID, s.now())
}
