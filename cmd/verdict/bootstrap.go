package main

import (
	"context"
	"fmt"

	"github.com/verdict-cms/verdict/internal/auth"
)

// cmdBootstrap prepares a fresh install: it migrates and, when no active
// admin exists, creates one and prints its password once on stdout. The
// password goes to the terminal, never to the log.
func cmdBootstrap(ctx context.Context, e env, args []string) error {
	fs := newFlags(e, "bootstrap", "bootstrap")
	if err := fs.Parse(args); err != nil {
		return err
	}
	d, err := load(ctx, e, true, nil)
	if err != nil {
		return err
	}
	defer d.Close()
	ok, err := d.auth.HasAdmin(ctx)
	if err != nil {
		return err
	}
	if ok {
		fmt.Fprintln(e.stdout, "an admin account exists; nothing to do")
		return nil
	}
	u, pw, err := d.auth.CreateUser(ctx, auth.NewUser{Email: d.cfg.AdminEmail, Name: "Admin", Role: auth.RoleAdmin})
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(e.stdout, "\n  Created admin %s\n  Password (shown once): %s\n\n", u.Email, pw)
	return nil
}
