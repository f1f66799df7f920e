package main

import (
	"context"
	"fmt"

	"github.com/verdict-cms/verdict/internal/auth"
)

// cmdBootstrap prepares a fresh install: it migrates and, when no active
// admin exists, creates one and prints its password once on stdout (the
// terminal, never the log). On a database with no content yet it loads the
// demo guides.
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
	ok, err := d.Auth.HasAdmin(ctx)
	if err != nil {
		return err
	}
	actor := ""
	if ok {
		fmt.Fprintln(e.stdout, "an admin account exists")
	} else {
		u, pw, err := d.Auth.CreateUser(ctx, auth.NewUser{Email: d.Config.AdminEmail, Name: "Admin", Role: auth.RoleAdmin})
		if err != nil {
			return describe(err)
		}
		actor = u.ID
		fmt.Fprintf(e.stdout, "\n  Created admin %s\n  Password (shown once): %s\n\n", u.Email, pw)
	}
	cats, err := d.Guides.Categories(ctx)
	if err != nil {
		return err
	}
	if len(cats) == 0 {
		if err := runSeed(ctx, e, d, actor); err != nil {
			return err
		}
	}
	fmt.Fprintf(e.stdout, "Guides: %s/g/ (hosted pages)   Admin: %s/admin\n", d.Config.SiteURL, d.Config.AdminURL)
	return nil
}
