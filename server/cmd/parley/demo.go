package main

import (
	"context"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/store"
)

const demoSite = "demo"

// seedDemo gives the demo blog's first post a reader comment and a staff
// answer, so a newcomer sees a thread (and the staff badge) at once. It does
// nothing once the post has comments.
func seedDemo(ctx context.Context, svc *comment.Service, st *store.Store, md *markup.Markup) error {
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
	body := "Hi Maria, thanks for asking! Rover is rated down to -30 °C, so your freezer is fine. " +
		"The [spec sheet](https://example.com/rover) has the details."
	_, err = st.CreateComment(ctx, comment.Comment{
		ThreadID: posted.Thread.ID, ParentID: posted.Comment.ID, Author: "Jana from Acme",
		Body: body, HTML: md.Render(body), Status: comment.StatusApproved, Official: true,
		CreatedAt: posted.Comment.CreatedAt.Add(1),
	})
	return err
}
