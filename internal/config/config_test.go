package config_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/config"
)

func env(m map[string]string) func(string) string {
	return func(k string) string { return m[k] }
}

func TestLoadDefaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.IsPostgres() || c.SQLitePath() != "data/verdict.db" || c.AccessTokenTTL != 15*time.Minute || !c.MigrateOnStart {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestLoadValid(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"VERDICT_DATABASE_URL":        "postgres://u:pw@db:5432/verdict",
		"VERDICT_JWT_SECRET":          strings.Repeat("k", 32),
		"VERDICT_CORS_ORIGINS":        "https://a.example, https://b.example",
		"VERDICT_ACCESS_TOKEN_TTL":    "5m",
		"VERDICT_MIGRATE_ON_START":    "false",
		"VERDICT_OUTBOX_LEASE":        "2s",
		"VERDICT_OUTBOX_SEND_TIMEOUT": "750ms",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.IsPostgres() || len(c.CORSOrigins) != 2 || c.AccessTokenTTL != 5*time.Minute || c.MigrateOnStart ||
		c.OutboxLease != 2*time.Second || c.OutboxSendTimeout != 750*time.Millisecond {
		t.Fatalf("parsed: %+v", c)
	}
}

// TestLoadInvalid checks that each bad variable stops start-up with a line
// that names it.
func TestLoadInvalid(t *testing.T) {
	for _, tc := range []struct {
		name, value string
		extra       map[string]string
	}{
		{"VERDICT_ADDR", "8080", nil},
		{"VERDICT_DATABASE_URL", "mysql://x", nil},
		{"VERDICT_JWT_SECRET", "short", nil},
		{"VERDICT_JWT_SECRET", "", map[string]string{"VERDICT_DATABASE_URL": "postgres://db/v"}},
		{"VERDICT_ACCESS_TOKEN_TTL", "soon", nil},
		{"VERDICT_ACCESS_TOKEN_TTL", "-1m", nil},
		{"VERDICT_BODY_LIMIT", "lots", nil},
		{"VERDICT_DB_MAX_OPEN_CONNS", "0", nil},
		{"VERDICT_MIGRATE_ON_START", "perhaps", nil},
		{"VERDICT_REQUEST_TIMEOUT", "0s", nil},
		{"VERDICT_DB_STATEMENT_TIMEOUT", "-1s", nil},
		{"VERDICT_LISTEN_KEEPALIVE", "often", nil},
		{"VERDICT_CACHE_MAX_AGE", "0s", nil},
		{"VERDICT_CACHE_BYTES", "0", nil},
		{"VERDICT_CACHE_BYTES", "64XB", nil},
		{"VERDICT_CACHE_BYTES", "lots", nil},
		{"VERDICT_CACHE_ENTRIES", "-1", nil},
		{"VERDICT_CORS_ORIGINS", "site.example", nil},
		{"VERDICT_SITE_URL", "guides.example.com", nil},
		{"VERDICT_SITE_URL", "ftp://guides.example.com", nil},
		{"VERDICT_TRUSTED_PROXIES", "10.0.0.1,proxy.internal", nil},
		{"VERDICT_LOG_LEVEL", "loud", nil},
		{"VERDICT_LOG_FORMAT", "xml", nil},
		{"VERDICT_BCRYPT_COST", "40", nil},
		{"VERDICT_OUTBOX_LEASE", "500ms", nil},
		{"VERDICT_OUTBOX_LEASE", "long", nil},
		{"VERDICT_OUTBOX_SEND_TIMEOUT", "0s", nil},
		{"VERDICT_LOCALES", "en,not a tag", nil},
		{"VERDICT_LOCALES", "en,de,en", nil},
	} {
		t.Run(fmt.Sprintf("%s=%s", tc.name, tc.value), func(t *testing.T) {
			m := map[string]string{tc.name: tc.value}
			for k, v := range tc.extra {
				m[k] = v
			}
			_, err := config.Load(env(m))
			if err == nil {
				t.Fatal("invalid configuration accepted")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], tc.name+" ") {
				t.Fatalf("error %q, want one line naming %s", err, tc.name)
			}
		})
	}
}

func TestLogValueHidesSecrets(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"VERDICT_DATABASE_URL": "postgres://u:topsecretpw@db/v",
		"VERDICT_JWT_SECRET":   "jwt-secret-jwt-secret-jwt-secret-1234",
	}))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("start", "config", c)
	if s := buf.String(); strings.Contains(s, "topsecretpw") || strings.Contains(s, "jwt-secret-jwt") || !strings.Contains(s, "db/v") {
		t.Fatalf("logged config: %s", s)
	}
}

func TestCacheBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"", 64 << 20}, {"67108864", 64 << 20}, {"64MB", 64 << 20}, {"64MiB", 64 << 20}, {"64m", 64 << 20},
		{"512k", 512 << 10}, {"1GB", 1 << 30}, {"1", 1},
	} {
		c, err := config.Load(env(map[string]string{"VERDICT_CACHE_BYTES": tc.in}))
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if c.CacheBytes != tc.want {
			t.Errorf("%q: %d bytes, want %d", tc.in, c.CacheBytes, tc.want)
		}
	}
}
