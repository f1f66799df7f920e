package store

import (
	"context"
	"time"

	"gorm.io/gorm"

	"github.com/verdict-cms/verdict/internal/auth"
	"github.com/verdict-cms/verdict/models"
)

// CreateRefreshToken implements auth.Store.
func (s AuthStore) CreateRefreshToken(ctx context.Context, t *auth.RefreshToken) error {
	row := models.RefreshToken{
		ID: t.ID, UserID: t.UserID, FamilyID: t.FamilyID, TokenHash: t.TokenHash,
		CreatedAt: t.CreatedAt.UTC(), ExpiresAt: t.ExpiresAt.UTC(), Epoch: t.Epoch,
	}
	return dbError("create refresh token", s.db.WithContext(ctx).Create(&row).Error)
}

// FindRefreshTokenForUpdate implements auth.Store.
func (s AuthStore) FindRefreshTokenForUpdate(ctx context.Context, hash string) (*auth.RefreshToken, error) {
	return s.findRefreshToken(s.forUpdate(s.db.WithContext(ctx)), hash)
}

// FindRefreshToken implements auth.Store.
func (s AuthStore) FindRefreshToken(ctx context.Context, hash string) (*auth.RefreshToken, error) {
	return s.findRefreshToken(s.db.WithContext(ctx), hash)
}

func (s AuthStore) findRefreshToken(q *gorm.DB, hash string) (*auth.RefreshToken, error) {
	var r models.RefreshToken
	if err := q.Where("token_hash = ?", hash).Take(&r).Error; err != nil {
		return nil, notFound(err, "refresh token")
	}
	return &auth.RefreshToken{
		ID: r.ID, UserID: r.UserID, FamilyID: r.FamilyID, TokenHash: r.TokenHash,
		CreatedAt: r.CreatedAt.UTC(), ExpiresAt: r.ExpiresAt.UTC(), UsedAt: utcPtr(r.UsedAt), RevokedAt: utcPtr(r.RevokedAt),
		Epoch: r.Epoch,
	}, nil
}

// MarkRefreshTokenUsed implements auth.Store.
func (s AuthStore) MarkRefreshTokenUsed(ctx context.Context, id string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&models.RefreshToken{}).Where("id = ? AND used_at IS NULL", id).Update("used_at", at.UTC())
	return mustAffect(res, "use refresh token", "refresh token")
}

// RevokeRefreshFamily implements auth.Store.
func (s AuthStore) RevokeRefreshFamily(ctx context.Context, familyID string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&models.RefreshToken{}).
		Where("family_id = ? AND revoked_at IS NULL", familyID).Update("revoked_at", at.UTC()).Error
	return dbError("revoke refresh family", err)
}

// RevokeUserRefreshTokens implements auth.Store.
func (s AuthStore) RevokeUserRefreshTokens(ctx context.Context, userID string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&models.RefreshToken{}).
		Where("user_id = ? AND revoked_at IS NULL", userID).Update("revoked_at", at.UTC()).Error
	return dbError("revoke user refresh tokens", err)
}

// EndSessions implements auth.Store. The epoch is bumped in the UPDATE
// itself, so concurrent sign-outs each count.
//
// The user row is written first, then the tokens: every path that ends
// sessions takes its locks in that order, so two of them cannot deadlock.
func (s AuthStore) EndSessions(ctx context.Context, userID string, at time.Time) (int, error) {
	db := s.db.WithContext(ctx)
	res := db.Model(&models.User{}).Where("id = ?", userID).Update("token_epoch", gorm.Expr("token_epoch + 1"))
	if err := mustAffect(res, "end sessions", "user"); err != nil {
		return 0, err
	}
	var epoch int
	if err := db.Model(&models.User{}).Where("id = ?", userID).Pluck("token_epoch", &epoch).Error; err != nil {
		return 0, dbError("read token epoch", err)
	}
	return epoch, s.RevokeUserRefreshTokens(ctx, userID, at)
}

// CreateAPIToken implements auth.Store.
func (s AuthStore) CreateAPIToken(ctx context.Context, t *auth.APIToken) error {
	row := models.APIToken{
		ID: t.ID, Name: t.Name, Scope: string(t.Scope), TokenHash: t.TokenHash, Prefix: t.Prefix,
		CreatedByID: t.CreatedByID, CreatedAt: t.CreatedAt.UTC(), ExpiresAt: utcPtr(t.ExpiresAt),
	}
	return dbError("create api token", s.db.WithContext(ctx).Create(&row).Error)
}

// FindAPITokenByHash implements auth.Store.
func (s AuthStore) FindAPITokenByHash(ctx context.Context, hash string) (*auth.APIToken, error) {
	var r apiTokenRow
	if err := s.apiTokens(ctx).Where("api_tokens.token_hash = ?", hash).Take(&r).Error; err != nil {
		return nil, notFound(err, "API token")
	}
	return toAPIToken(r), nil
}

// apiTokenRow is an API token with its creator's disabled time.
type apiTokenRow struct {
	models.APIToken   `gorm:"embedded"`
	CreatorDisabledAt *time.Time
}

func (s AuthStore) apiTokens(ctx context.Context) *gorm.DB {
	return s.db.WithContext(ctx).Table("api_tokens").
		Select("api_tokens.*, users.disabled_at AS creator_disabled_at").
		Joins("LEFT JOIN users ON users.id = api_tokens.created_by_id")
}

// ListAPITokens implements auth.Store.
func (s AuthStore) ListAPITokens(ctx context.Context) ([]*auth.APIToken, error) {
	var rows []apiTokenRow
	if err := s.apiTokens(ctx).Order("api_tokens.id").Find(&rows).Error; err != nil {
		return nil, dbError("list api tokens", err)
	}
	out := make([]*auth.APIToken, 0, len(rows))
	for _, r := range rows {
		out = append(out, toAPIToken(r))
	}
	return out, nil
}

// RevokeAPIToken implements auth.Store. Revoking twice is not an error.
func (s AuthStore) RevokeAPIToken(ctx context.Context, id string, at time.Time) error {
	res := s.db.WithContext(ctx).Model(&models.APIToken{}).Where("id = ?", id).
		Update("revoked_at", gorm.Expr("COALESCE(revoked_at, ?)", at.UTC()))
	return mustAffect(res, "revoke api token", "API token")
}

// TouchAPIToken implements auth.Store.
func (s AuthStore) TouchAPIToken(ctx context.Context, id string, at time.Time) error {
	err := s.db.WithContext(ctx).Model(&models.APIToken{}).Where("id = ?", id).Update("last_used_at", at.UTC()).Error
	return dbError("touch api token", err)
}

func toAPIToken(r apiTokenRow) *auth.APIToken {
	return &auth.APIToken{
		ID: r.ID, Name: r.Name, Scope: auth.Scope(r.Scope), TokenHash: r.TokenHash, Prefix: r.Prefix,
		CreatedByID: r.CreatedByID, CreatedAt: r.CreatedAt.UTC(), ExpiresAt: utcPtr(r.ExpiresAt),
		LastUsedAt: utcPtr(r.LastUsedAt), RevokedAt: utcPtr(r.RevokedAt), CreatorDisabled: r.CreatorDisabledAt != nil,
	}
}
