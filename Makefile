# Verdict: `make run` to try it, `make test` to check it. See README.md.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
GO ?= go
BIN := bin/verdict
export CGO_ENABLED := 0

.PHONY: run build ui test test-go vet bench clean

## run: build, migrate, create an admin if none exists, and serve on :8080
run: build
	./$(BIN) bootstrap
	./$(BIN) serve

## build: the single verdict binary (with the admin UI when it is built)
build:
	$(GO) build -o $(BIN) ./cmd/verdict

## test: every test, on SQLite and PostgreSQL (VERDICT_TEST_DATABASE_URL)
test: vet test-go

vet:
	$(GO) vet ./...

test-go:
	$(GO) test -count=1 -json ./... 2>&1 | $(GO) run ./.ci/testsum

clean:
	rm -rf bin

## bench: public read throughput vs a minimal Fiber ceiling (needs PostgreSQL, wrk)
bench:
	bash bench/run.sh
	bash bench/intake.sh
