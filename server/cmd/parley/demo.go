package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"io"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
)

const (
	demoSite  = "demo"
	demoEmail = "demo@parley.example"
)

// setUpDemo makes sure the demo owner exists with a password (from
// PARLEY_DEMO_PASSWORD, or a new random one each start), prints how to sign
// in, and seeds the demo blog's first post with a reader comment and a staff
// answer so a newcomer sees a thread (and the staff badge) at once.
func setUpDemo(ctx context.Context, svc *comment.Service, st *staff.Service, getenv func(string) string, addr string, stdout io.Writer) error {
	password := getenv("PARLEY_DEMO_PASSWORD")
	if password == "" {
		b := make([]byte, 12)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		password = base64.RawURLEncoding.EncodeToString(b)
	}
	owner, err := st.UserByEmail(ctx, demoEmail)
	switch {
	case comment.CodeOf(err) == comment.NotFound:
		owner, err = st.CreateUser(ctx, demoEmail, "Jana from Acme", staff.RoleOwner, password, nil)
	case err == nil:
		err = st.SetPassword(ctx, owner.ID, password)
	}
	if err != nil {
		return fmt.Errorf("demo owner: %w", err)
	}
	fmt.Fprintf(stdout, "\nParley demo\n  blog:   http://%s/demo/\n  admin:  http://%s/admin/\n  email:  %s\n  password: %s\n\n",
		addr, addr, demoEmail, password)
	if err := routeDemo(ctx, svc, owner.Actor()); err != nil {
		return err
	}
	return seedDemo(ctx, svc, owner.Actor())
}

// demoAuthor is the author the first demo post names in <meta name="author">.
const demoAuthor = "Jana Horvat"

// routeDemo sends the comments on Jana's post to the demo owner (the other
// posts' go to the site's assignees: the owners), unless the demo site's
// routing was changed in the panel.
func routeDemo(ctx context.Context, svc *comment.Service, owner comment.Actor) error {
	site, err := svc.Site(demoSite)
	if err != nil || len(site.Authors) > 0 {
		return err
	}
	_, err = svc.UpdateSiteSettings(ctx, owner, site.ID, comment.SiteUpdate{
		Authors: []comment.AuthorRoute{{Author: demoAuthor, UserID: owner.UserID}}})
	return err
}

// seedDemo gives the first post a reader question and a staff answer, once.
func seedDemo(ctx context.Context, svc *comment.Service, owner comment.Actor) error {
	site, err := svc.Site(demoSite)
	if err != nil {
		return err
	}
	view, err := svc.Thread(ctx, site, "/demo/")
	if err != nil || view.Visible > 0 {
		return err
	}
	posted, err := svc.Post(ctx, site, comment.Input{
		URL: "/demo/", Title: "Meet Rover, our new warehouse robot", Author: "Maria K.",
		Body: "Looks great! Does Rover also work in **cold storage** rooms? Our freezer is at -25 °C.",
	})
	if err != nil {
		return err
	}
	_, _, err = svc.StaffReply(ctx, owner, posted.Comment.ID, "Hi Maria, thanks for asking! Rover is rated down to -30 °C, "+
		"so your freezer is fine. The [spec sheet](https://example.com/rover) has the details.")
	return err
}
