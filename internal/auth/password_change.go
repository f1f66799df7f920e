package auth

import (
	"context"

	"github.com/verdict-cms/verdict/internal/apperr"
)

// ChangePassword lets a signed-in user replace their password. The current
// password must be given, so a stolen access token alone cannot take the
// account over; wrong guesses count against the account's sign-in limit. On
// success every session of the user ends (refresh tokens revoked, earlier
// access tokens refused everywhere) and the caller gets a fresh token pair.
func (s *Service) ChangePassword(ctx context.Context, userID, current, next string) (Tokens, error) {
	var fe apperr.Fields
	if current == "" {
		fe.Add("current_password", "required", "is required")
	}
	if msg := passwordProblem(next); msg != "" {
		fe.Add("new_password", "invalid", msg)
	} else if next == current {
		fe.Add("new_password", "unchanged", "must differ from the current password")
	}
	if err := fe.Err(); err != nil {
		return Tokens{}, err
	}
	u, err := s.store.FindUserByID(ctx, userID)
	if err != nil {
		return Tokens{}, err
	}
	key := "password:user:" + u.ID
	if _, err := s.take(ctx, limit{key, s.cfg.LoginMaxFailuresPerAccount}); err != nil {
		return Tokens{}, err
	}
	if !s.hasher.Check(u.PasswordHash, current) {
		return Tokens{}, apperr.Fields{{Field: "current_password", Code: "incorrect", Message: "is not your current password"}}.Err()
	}
	hash, err := s.hasher.Hash(next)
	if err != nil {
		return Tokens{}, err
	}
	var out Tokens
	err = s.store.InTx(ctx, func(st Store) error {
		// The update is guarded by the version read before the (slow)
		// password check, so a concurrent change makes this one a 409.
		now := s.now()
		u.PasswordHash, u.UpdatedAt = hash, now
		if err := st.UpdateUser(ctx, u, u.Version); err != nil {
			return err
		}
		epoch, err := st.EndSessions(ctx, u.ID, now)
		if err != nil {
			return err
		}
		u.TokenEpoch = epoch
		out, err = s.issue(ctx, st, u, "")
		return err
	})
	if err != nil {
		return Tokens{}, err
	}
	return out, s.throttle.Reset(ctx, key)
}
