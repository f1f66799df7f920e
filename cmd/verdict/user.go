package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"golang.org/x/term"

	"github.com/verdict-cms/verdict/internal/apperr"
	"github.com/verdict-cms/verdict/internal/auth"
)

func cmdUser(ctx context.Context, e env, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(e.stderr, "Usage: verdict user create|list|disable [flags]")
		return fmt.Errorf("%w: user needs a subcommand", errUsage)
	}
	switch args[0] {
	case "create":
		return cmdUserCreate(ctx, e, args[1:])
	case "list":
		return cmdUserList(ctx, e, args[1:])
	case "disable":
		return cmdUserDisable(ctx, e, args[1:])
	}
	return fmt.Errorf("%w: unknown user command %q", errUsage, args[0])
}

func cmdUserCreate(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "user create", "user create --email EMAIL --role admin|editor|consultant [--name NAME] [--password-stdin | --password PW]")
	email := fs.String("email", "", "the user's email (required)")
	role := fs.String("role", "", "admin, editor or consultant (required)")
	name := fs.String("name", "", "display name")
	password := fs.String("password", "", "password (visible in the process list: prefer --password-stdin)")
	fromStdin := fs.Bool("password-stdin", false, "read the password from stdin (prompts without echo on a terminal)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" || *role == "" {
		fs.Usage()
		return fmt.Errorf("%w: --email and --role are required", errUsage)
	}
	if *fromStdin {
		pw, err := readPassword(e)
		if err != nil {
			return err
		}
		*password = pw
	}
	d, err := load(ctx, e, true, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	u, pw, err := d.Auth.CreateUser(ctx, auth.NewUser{Email: *email, Name: *name, Role: auth.Role(*role), Password: *password})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.stdout, "created %s %s (id %s)\n", u.Role, u.Email, u.ID)
	if *password == "" {
		fmt.Fprintf(e.stdout, "generated password (shown once): %s\n", pw)
	}
	return nil
}

func cmdUserList(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "user list", "user list")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := load(ctx, e, true, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tROLE\tSTATE\tLAST LOGIN")
	after := ""
	for {
		users, err := d.Auth.Users(ctx, auth.UserFilter{AfterID: after, Limit: 100})
		if err != nil {
			return err
		}
		for _, u := range users {
			state, last := "active", "never"
			if u.Disabled() {
				state = "disabled"
			}
			if u.LastLoginAt != nil {
				last = u.LastLoginAt.Format("2006-01-02 15:04Z")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", u.ID, u.Email, u.Role, state, last)
		}
		if len(users) < 100 {
			break
		}
		after = users[len(users)-1].ID
	}
	return tw.Flush()
}

func cmdUserDisable(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "user disable", "user disable --email EMAIL")
	email := fs.String("email", "", "the user's email (required)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *email == "" {
		fs.Usage()
		return fmt.Errorf("%w: --email is required", errUsage)
	}
	d, err := load(ctx, e, true, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	u, err := d.Auth.UserByEmail(ctx, *email)
	if err != nil {
		return describe(err)
	}
	if _, err := d.Auth.UpdateUser(ctx, u.ID, auth.UserUpdate{Name: u.Name, Role: u.Role, Disabled: true}, u.Version); err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.stdout, "disabled %s; their sessions have ended\n", u.Email)
	return nil
}

// readPassword reads one line from stdin, without echo on a terminal.
func readPassword(e env) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		fmt.Fprint(e.stderr, "Password: ")
		b, err := term.ReadPassword(int(f.Fd()))
		fmt.Fprintln(e.stderr)
		return string(b), err
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", fmt.Errorf("read password from stdin: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}

// describe turns a domain error into one readable CLI line.
func describe(err error) error {
	e, ok := apperr.As(err)
	if !ok {
		return err
	}
	var parts []string
	for _, f := range e.Fields {
		parts = append(parts, "--"+f.Field+" "+f.Message)
	}
	if len(parts) == 0 {
		return fmt.Errorf("%s", e.Message)
	}
	return fmt.Errorf("%s", strings.Join(parts, "; "))
}
