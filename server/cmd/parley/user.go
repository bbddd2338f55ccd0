package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/store"
)

// runUser is "parley user add|password|token|list": staff accounts from the
// command line, for the first owner and for recovery.
//
//	parley user add -email ana@example.com -role owner [-name Ana] [-sites blog,docs]
//	parley user password -email ana@example.com
//	parley user token -email ana@example.com
//	parley user list
//
// Passwords are read from standard input (a prompt without echo on a
// terminal), never from the command line where ps would show them.
func runUser(ctx context.Context, args []string, getenv func(string) string, stdin *os.File, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: parley user add|password|token|list [flags]")
	}
	verb := args[0]
	fs := flag.NewFlagSet("parley user "+verb, flag.ContinueOnError)
	def := getenv("PARLEY_DB")
	if def == "" {
		def = "parley.db"
	}
	db := fs.String("db", def, "database (SQLite file or postgres:// URL)")
	email := fs.String("email", "", "the user's email address")
	name := fs.String("name", "", "the name shown on replies (default: the part of the email before @)")
	role := fs.String("role", "staff", "owner or staff")
	sites := fs.String("sites", "", "comma-separated sites a staff member works on")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	st, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer st.Close()
	svc := staff.NewService(staff.Config{Store: st, ClientHash: func(string) string { return "cli" }})
	switch verb {
	case "add":
		ids, err := siteIDs(ctx, st, *sites)
		if err != nil {
			return err
		}
		password, err := readPassword(stdin, stdout)
		if err != nil {
			return err
		}
		u, err := svc.CreateUser(ctx, *email, *name, staff.Role(*role), password, ids)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "created %s %s (%s)\n", u.Role, u.Email, u.Name)
	case "password":
		u, err := svc.UserByEmail(ctx, *email)
		if err != nil {
			return err
		}
		password, err := readPassword(stdin, stdout)
		if err != nil {
			return err
		}
		if err := svc.SetPassword(ctx, u.ID, password); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "password of %s changed; their sessions are ended\n", u.Email)
	case "token":
		u, err := svc.UserByEmail(ctx, *email)
		if err != nil {
			return err
		}
		token, err := svc.NewAPIToken(ctx, u.ID)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, token)
	case "list":
		users, err := svc.Users(ctx)
		if err != nil {
			return err
		}
		for _, u := range users {
			fmt.Fprintf(stdout, "%s\t%s\t%s\tsites %v\n", u.Email, u.Role, u.Name, u.SiteIDs)
		}
	default:
		return fmt.Errorf("parley user: unknown command %q (add, password, token, list)", verb)
	}
	return nil
}

func siteIDs(ctx context.Context, st *store.Store, names string) ([]int64, error) {
	if names == "" {
		return nil, nil
	}
	sites, err := st.FindSites(ctx)
	if err != nil {
		return nil, err
	}
	byName := map[string]int64{}
	for _, s := range sites {
		byName[s.Name] = s.ID
	}
	var ids []int64
	for _, n := range strings.Split(names, ",") {
		id, ok := byName[strings.TrimSpace(n)]
		if !ok {
			return nil, comment.Errorf(comment.UnknownSite, "There is no site named %q; start Parley with -site first.", n)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// readPassword prompts without echo on a terminal, and reads one line from
// a pipe otherwise.
func readPassword(in *os.File, out io.Writer) (string, error) {
	if term.IsTerminal(int(in.Fd())) {
		fmt.Fprint(out, "Password: ")
		b, err := term.ReadPassword(int(in.Fd()))
		fmt.Fprintln(out)
		return string(b), err
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", fmt.Errorf("read password from standard input: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
