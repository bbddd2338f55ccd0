package reader_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/reader"
	"github.com/parleyhq/parley/server/store/storetest"
)

// follower posts a comment whose author follows its replies, confirmed.
func (r *rig) follower(email string) comment.Comment {
	r.t.Helper()
	c := r.post(0, "Ann", email, "Does it float?")
	r.optIn(c)
	r.tick()
	if _, err := r.rd.Confirm(r.t.Context(), r.confirmToken()); err != nil {
		r.t.Fatal(err)
	}
	return c
}

func (r *rig) mailsTo(email string) []string {
	var out []string
	for _, m := range r.smtp.Messages() {
		if len(m.To) == 1 && m.To[0] == email {
			out = append(out, m.Subject)
		}
	}
	return out
}

func TestWorkerRetriesAndCancels(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			r := newRig(t, engine)
			ann := r.follower("ann@example.com")

			// (The first mail was the confirmation.) The mail server refuses for a while: the mail is tried again
			// after the backoff, and sent once.
			r.smtp.FailNext(1, 451)
			r.post(ann.ID, "Bob", "", "It floats.")
			r.tick()
			if got := r.mailsTo("ann@example.com"); len(got) != 1 {
				t.Fatalf("mails during the outage: %v", got)
			}
			r.tick()
			r.clock.advance(time.Minute)
			r.tick()
			if got := r.mailsTo("ann@example.com"); len(got) != 2 || !strings.Contains(got[1], "Bob replied") {
				t.Fatalf("after the retry: %v", got)
			}
			r.clock.advance(time.Hour)
			r.tick()
			if got := r.mailsTo("ann@example.com"); len(got) != 2 {
				t.Fatalf("sent twice: %v", got)
			}

			// A reply hidden after its mail was queued is not mailed.
			reply := r.post(ann.ID, "Cy", "", "Buy cheap pills")
			n, err := r.st.SweepReplies(t.Context(), r.clock.now(), 10, func(rs []reader.Reply) []reader.Mail {
				return reader.PlanReplies(rs, r.clock.now())
			})
			if n != 1 || err != nil {
				t.Fatalf("sweep: %d, %v", n, err)
			}
			if _, _, err := r.svc.Moderate(t.Context(), comment.Actor{Name: "Mod", Owner: true}, reply.ID, comment.ActionSpam, ""); err != nil {
				t.Fatal(err)
			}
			r.tick()
			if got := r.mailsTo("ann@example.com"); len(got) != 2 {
				t.Errorf("a reply marked spam was mailed: %v", got)
			}

			// Nor is a reply approved after its parent's author deleted it.
			held := r.post(ann.ID, "Eve", "", "https://a.example https://b.example https://c.example https://d.example")
			if held.Status != comment.StatusPending {
				t.Fatalf("the reply with links is %s", held.Status)
			}
			deleted := comment.StatusDeleted
			if _, err := r.st.UpdateComment(t.Context(), ann.ID, comment.Update{Status: &deleted}); err != nil {
				t.Fatal(err)
			}
			if _, _, err := r.svc.Moderate(t.Context(), comment.Actor{Name: "Mod", Owner: true}, held.ID, comment.ActionApprove, ""); err != nil {
				t.Fatal(err)
			}
			r.tick()
			if got := r.mailsTo("ann@example.com"); len(got) != 2 {
				t.Errorf("a reply to a deleted comment was mailed: %v", got)
			}
		})
	}
}

// TestWorkerReplicas runs two workers on one database at once, as two
// replicas do: every reply is mailed exactly once.
func TestWorkerReplicas(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			r := newRig(t, engine)
			ann := r.follower("ann@example.com")
			other := r.newWorker(storetest.OpenDSN(t, r.dsn, r.clock.now))
			const replies = 12
			for i := range replies {
				r.post(ann.ID, "Bob", "", "Reply number "+string(rune('A'+i)))
			}
			var wg sync.WaitGroup
			for _, w := range []*reader.Worker{r.worker, other, r.worker, other} {
				wg.Go(func() {
					if err := w.Tick(t.Context()); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			if got := r.mailsTo("ann@example.com"); len(got) != 1+replies { // and the confirmation
				t.Errorf("%d mails for %d replies and the confirmation", len(got), replies)
			}
		})
	}
}
