// Command verdict is the Verdict CMS: one binary that serves the API and
// admin UI, migrates its database and manages users.
package main

import (
	"context"

	"errors"
	"flag"
	"fmt"
	"github.com/verdict-cms/verdict/internal/httpapi"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "verdict:", err)
		}
		os.Exit(exitCode(err))
	}
}

func exitCode(err error) int {
	if errors.Is(err, flag.ErrHelp) || errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

var errUsage = errors.New("usage error")

const usage = `Usage: verdict <command> [flags]

Commands:
  serve                  serve the API and admin UI (migrates first unless --no-migrate)
  migrate up|down|status apply, roll back one, or list migrations
  bootstrap              migrate, create an admin if none exists, seed demo content on first start
  seed                   load the demo guides (Node.js vs Django and its related guides)
  export, import         move content between instances as JSON (import is all or nothing)
  openapi                print the OpenAPI 3.1 description (the SDK is generated from it)
  user create|list|disable
                         manage users

Configuration comes from VERDICT_* environment variables; see README.md.
Run 'verdict <command> --help' for a command's flags.
`

// env is what every command receives: the process's outside world, passed in
// so that tests can run the whole program.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "serve":
		return cmdServe(ctx, e, args[1:])
	case "migrate":
		return cmdMigrate(ctx, e, args[1:])
	case "bootstrap":
		return cmdBootstrap(ctx, e, args[1:])
	case "openapi":
		_, err := e.stdout.Write(append(httpapi.OpenAPIJSON(), '\n'))
		return err
	case "export":
		return cmdExport(ctx, e, args[1:])
	case "import":
		return cmdImport(ctx, e, args[1:])
	case "seed":
		return cmdSeed(ctx, e, args[1:])
	case "user":
		return cmdUser(ctx, e, args[1:])
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("%w: unknown command %q", errUsage, args[0])
}

// newFlags returns a FlagSet that prints its usage to stderr.
func newFlags(e env, name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: verdict %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs
}
