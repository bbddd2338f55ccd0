package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/parleyhq/parley/server/answer"
	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/staff"
	"github.com/parleyhq/parley/server/store/storetest"
)

func TestSavedAnswers(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := t.Context()
			now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
			st := storetest.OpenEngine(t, engine, func() time.Time { return now })
			blog, err := st.SaveSite(ctx, comment.Site{Name: "blog", Origins: []string{"https://a.example"}})
			if err != nil {
				t.Fatal(err)
			}
			other, err := st.SaveSite(ctx, comment.Site{Name: "other", Origins: []string{"https://b.example"}})
			if err != nil {
				t.Fatal(err)
			}
			u, err := st.CreateUser(ctx, staff.User{Email: "a@b.example", Name: "A", Role: staff.RoleOwner, CreatedAt: now}, "h")
			if err != nil {
				t.Fatal(err)
			}
			mk := func(site int64, title string) (answer.Answer, error) {
				return st.CreateAnswer(ctx, answer.Answer{SiteID: site, Title: title, Body: "Hi {name}, Ελλάδα, Łódź, Đakovo.",
					CreatedBy: u.ID, CreatedAt: now, UpdatedAt: now})
			}
			a, err := mk(blog.ID, "Shipping")
			if err != nil {
				t.Fatal(err)
			}
			if a.ID == 0 || a.Uses != 0 || !a.LastUsedAt.IsZero() || a.CreatedBy != u.ID || !a.CreatedAt.Equal(now) {
				t.Errorf("created %+v", a)
			}
			if _, err := mk(blog.ID, "Shipping"); comment.CodeOf(err) != comment.Conflict {
				t.Errorf("same title on the same site: %v, want conflict", err)
			}
			if _, err := mk(other.ID, "Shipping"); err != nil {
				t.Errorf("same title on another site: %v", err)
			}
			if _, err := mk(blog.ID, "Refunds"); err != nil {
				t.Fatal(err)
			}
			list, err := st.FindAnswers(ctx, blog.ID)
			if err != nil || len(list) != 2 || list[0].Title != "Refunds" || list[1].Title != "Shipping" {
				t.Fatalf("list = %+v, %v; want Refunds, Shipping", list, err)
			}
			later := now.Add(time.Hour)
			got, err := st.UpdateAnswer(ctx, a.ID, "Shipping abroad", "Γεια σας {name}", later)
			if err != nil || got.Title != "Shipping abroad" || got.Body != "Γεια σας {name}" || !got.UpdatedAt.Equal(later) {
				t.Fatalf("update = %+v, %v", got, err)
			}
			if _, err := st.UpdateAnswer(ctx, a.ID, "Refunds", "x", later); comment.CodeOf(err) != comment.Conflict {
				t.Errorf("rename onto another title: %v, want conflict", err)
			}
			if _, err := st.UpdateAnswer(ctx, 9999, "x", "x", later); comment.CodeOf(err) != comment.NotFound {
				t.Errorf("update a missing answer: %v", err)
			}

			// Uses counted from many replies at once all count.
			const n = 24
			var wg sync.WaitGroup
			errs := make(chan error, n)
			for i := 0; i < n; i++ {
				wg.Go(func() { errs <- st.CountAnswerUse(ctx, a.ID, later) })
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			got, _ = st.FindAnswerByID(ctx, a.ID)
			if got.Uses != n || !got.LastUsedAt.Equal(later) {
				t.Errorf("uses %d, last used %v; want %d at %v", got.Uses, got.LastUsedAt, n, later)
			}
			// A reply's transaction can count too, and its rollback takes the count back.
			rollback := errors.New("rollback")
			err = st.InTx(ctx, func(tx comment.Store) error {
				c, ok := tx.(answer.Counter)
				if !ok {
					t.Fatal("the transaction's store cannot count answer uses")
				}
				if err := c.CountAnswerUse(ctx, a.ID, later); err != nil {
					return err
				}
				return rollback
			})
			if !errors.Is(err, rollback) {
				t.Fatal(err)
			}
			if got, _ = st.FindAnswerByID(ctx, a.ID); got.Uses != n {
				t.Errorf("uses %d after a rolled back reply, want %d", got.Uses, n)
			}
			if err := st.CountAnswerUse(ctx, 9999, later); comment.CodeOf(err) != comment.NotFound {
				t.Errorf("count a missing answer: %v", err)
			}

			if err := st.DeleteAnswer(ctx, a.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := st.FindAnswerByID(ctx, a.ID); comment.CodeOf(err) != comment.NotFound {
				t.Errorf("find after delete: %v", err)
			}
			if err := st.DeleteAnswer(ctx, a.ID); comment.CodeOf(err) != comment.NotFound {
				t.Errorf("delete twice: %v", err)
			}
		})
	}
}
