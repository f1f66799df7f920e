package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/verdict-cms/verdict/internal/app"
	"github.com/verdict-cms/verdict/internal/config"
	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/id"
	"github.com/verdict-cms/verdict/internal/migrate"
)

// deps is everything a command needs once configuration is loaded: the
// program as internal/app assembles it.
type deps = app.Program

// load reads configuration, opens the database and, when migrateFirst is
// set, brings its schema up to date, then builds the program. flagOverrides
// apply CLI flags on top of the environment.
func load(ctx context.Context, e env, migrateFirst bool, overrides map[string]string) (*deps, error) {
	getenv := func(k string) string {
		if v, ok := overrides[k]; ok && v != "" {
			return v
		}
		return e.getenv(k)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, fmt.Errorf("invalid configuration:\n%w", err)
	}
	log := app.NewLogger(e.stderr, cfg)
	db, err := database.Open(ctx, database.Options{
		URL: pgURL(cfg), SQLitePath: cfg.SQLitePath(),
		MaxOpenConns: cfg.DBMaxOpenConns, MaxIdleConns: cfg.DBMaxIdleConns, ConnMaxLifetime: cfg.DBConnMaxLifetime,
		ConnectTimeout: cfg.DBConnectTimeout, StatementTimeout: cfg.DBStatementTimeout, BusyTimeout: cfg.RequestTimeout,
	})
	if err != nil {
		return nil, err
	}
	if migrateFirst {
		if err := migrateUp(ctx, db, log); err != nil {
			_ = db.Close()
			return nil, err
		}
	}
	if cfg.JWTSecret, err = jwtSecret(cfg); err != nil {
		_ = db.Close()
		return nil, err
	}
	p, err := app.Build(cfg, db, log, e.stderr, func() time.Time { return time.Now().UTC() })
	if err != nil {
		_ = db.Close()
		return nil, err
	}
	return p, nil
}

func pgURL(cfg config.Config) string {
	if cfg.IsPostgres() {
		return cfg.DatabaseURL
	}
	return ""
}

func migrateUp(ctx context.Context, db *database.DB, log *slog.Logger) error {
	m, err := migrate.New(db)
	if err != nil {
		return err
	}
	rs, err := m.Up(ctx)
	if err != nil {
		return err
	}
	for _, r := range rs {
		log.Info("migration applied", "version", r.Version, "name", r.Name, "duration_ms", r.Duration.Milliseconds())
	}
	return nil
}

// jwtSecret returns the configured signing key. With SQLite and no key set,
// a random key is made once and kept in the data dir, so a zero-setup install
// is secure and its sessions survive restarts.
func jwtSecret(cfg config.Config) (string, error) {
	if cfg.JWTSecret != "" {
		return cfg.JWTSecret, nil
	}
	path := filepath.Join(filepath.Dir(cfg.SQLitePath()), "jwt-secret")
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		return strings.TrimSpace(string(b)), nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	secret := id.Secret("")
	if err := os.WriteFile(path, []byte(secret+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return secret, nil
}
