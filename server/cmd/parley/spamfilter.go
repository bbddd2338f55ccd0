package main

import (
	"context"
	"fmt"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/spam"
)

// localScore is the local spam score as a comment.SpamFilter. It holds what
// it judges spam rather than hiding it: trained on video comments, it
// distrusts links more than a blog's readers deserve, so a person decides.
type localScore struct{ c *spam.Classifier }

func (localScore) Name() string { return "spam score" }

func (l localScore) Check(_ context.Context, c comment.Candidate) (comment.Judgement, error) {
	v := l.c.Check(spam.Input{Body: c.Body, Author: c.Author, Email: c.Email, Website: c.Website})
	if !v.Spam {
		return comment.Judgement{}, nil
	}
	return comment.Judgement{Hold: true, Reasons: append([]string{fmt.Sprintf("%.2f", v.Score)}, v.Reasons...)}, nil
}
