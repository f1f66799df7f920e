# Verdict: `make run` to try it, `make test` to check it. See README.md.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
NPM ?= npm
BIN := bin/verdict
CHROMIUM ?= /usr/bin/chromium
export CGO_ENABLED := 0

.PHONY: run build ui test test-go test-ui vet bench clean

## run: build (with the admin UI), migrate, create an admin and demo content, serve on :8080
run: build
	./$(BIN) bootstrap
	./$(BIN) serve

## build: the single verdict binary, with the admin UI embedded when Node.js is present
build: ui
	$(GO) build -o $(BIN) ./cmd/verdict

## ui: build the admin UI into admin-ui/dist (skipped without Node.js: /admin then says how)
ui:
	@if command -v $(NPM) >/dev/null; then \
		cd admin-ui && $(NPM) ci --no-audit --no-fund --loglevel=error && $(NPM) run build --silent; \
	else echo "npm not found: building Verdict without the admin UI"; fi

## test: every test: Go on SQLite and PostgreSQL, UI unit tests, browser end-to-end tests
test: vet test-ui test-go

vet:
	$(GO) vet ./...

test-go:
	$(GO) test -count=1 -json ./... 2>&1 | $(GO) run ./.ci/testsum

test-ui:
	cd admin-ui && $(NPM) ci --no-audit --no-fund --loglevel=error
	@# The SDK must be generated from the server's current OpenAPI description.
	$(GO) run ./cmd/verdict openapi > admin-ui/src/sdk/openapi.json
	cd admin-ui && npx openapi-typescript src/sdk/openapi.json -o src/sdk/schema.d.ts >/dev/null
	@git diff --quiet -- admin-ui/src/sdk || { echo "admin-ui/src/sdk is stale: run 'npm run sdk' in admin-ui and commit"; git --no-pager diff --stat -- admin-ui/src/sdk; exit 1; }
	cd admin-ui && npx tsc --noEmit && npx vitest run
	cd admin-ui && $(NPM) run build --silent
	$(GO) build -o $(BIN) ./cmd/verdict
	@if [ -x $(CHROMIUM) ]; then \
		cd admin-ui && VERDICT_BIN=../$(BIN) CHROMIUM=$(CHROMIUM) node --test --test-concurrency=1 e2e/; \
	elif [ "$${CI:-}" = true ]; then echo "chromium is required in CI" >&2; exit 1; \
	else echo "SKIP browser tests: no $(CHROMIUM) (apt-get install chromium)"; fi

## bench: public reads vs a minimal Fiber ceiling; intake vs pgbench; outbox drain (PostgreSQL, wrk)
bench:
	bash bench/run.sh
	bash bench/search-sqlite.sh
	bash bench/intake.sh
	bash bench/import.sh
	bash bench/events.sh

clean:
	rm -rf bin test-artifacts admin-ui/node_modules

.PHONY: fuzz
FUZZTIME ?= 30s
## fuzz: run every Go fuzz target for FUZZTIME each (their seed corpora already run in make test)
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for target in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz' || true); do \
			echo "== $$pkg $$target ($(FUZZTIME))"; \
			$(GO) test -run '^$$' -fuzz "^$$target\$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
		done; \
	done
