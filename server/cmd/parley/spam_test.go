package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/markup"
	"github.com/parleyhq/parley/server/spam"
	"github.com/parleyhq/parley/server/store/storetest"
)

// TestSpamDefaultsLeaveOneFileOut measures the whole screening, with a
// site's default settings and no outside service, on the labelled YouTube
// comments: each file goes through a service whose spam score was trained
// on the other four files only. At least 85% of spam must be held or
// refused, and at most 5% of ham.
func TestSpamDefaultsLeaveOneFileOut(t *testing.T) {
	files, err := filepath.Glob("../../spam/testdata/Youtube0*.csv")
	if err != nil || len(files) != 5 {
		t.Fatalf("data files: %v %v", files, err)
	}
	sets := make([][]spam.Example, len(files))
	for i, f := range files {
		r, err := os.Open(f)
		if err != nil {
			t.Fatal(err)
		}
		sets[i], err = spam.ReadCSV(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	var spamCaught, spamAll, hamFlagged, hamAll int
	for i, held := range sets {
		var train []spam.Example
		for j, s := range sets {
			if j != i {
				train = append(train, s...)
			}
		}
		st := storetest.Open(t, nil)
		svc := comment.NewService(comment.Config{Store: st, Renderer: markup.New(), ClientKey: []byte("k"),
			Filters: []comment.SpamFilter{localScore{spam.NewWithModel(spam.Train(train))}}})
		site, err := svc.SaveSite(t.Context(), comment.Site{Name: "videos", Origins: []string{"https://videos.example"}})
		if err != nil {
			t.Fatal(err)
		}
		var caught, sAll, flagged, hAll int
		for n, ex := range held {
			p, err := svc.Post(t.Context(), site, comment.Input{URL: fmt.Sprintf("/video-%d/", i), Author: ex.Input.Author,
				Body: ex.Input.Body, ClientAddr: fmt.Sprintf("192.0.2.%d", n%250)})
			stopped := err != nil || p.Comment.Status != comment.StatusApproved
			if err != nil && comment.CodeOf(err) == comment.Internal {
				t.Fatalf("%s row %d: %v", files[i], n, err)
			}
			if ex.Spam {
				sAll++
				if stopped {
					caught++
				}
			} else {
				hAll++
				if stopped {
					flagged++
				}
			}
		}
		t.Logf("%s: spam held or refused %d/%d = %.1f%%, ham %d/%d = %.1f%%", filepath.Base(files[i]),
			caught, sAll, 100*float64(caught)/float64(sAll), flagged, hAll, 100*float64(flagged)/float64(hAll))
		spamCaught, spamAll, hamFlagged, hamAll = spamCaught+caught, spamAll+sAll, hamFlagged+flagged, hamAll+hAll
	}
	recall, fp := float64(spamCaught)/float64(spamAll), float64(hamFlagged)/float64(hamAll)
	t.Logf("pooled: spam held or refused %d/%d = %.1f%%, ham %d/%d = %.1f%%", spamCaught, spamAll, 100*recall, hamFlagged, hamAll, 100*fp)
	if recall < 0.85 || fp > 0.05 {
		t.Errorf("pooled spam %.1f%% (want >= 85%%), ham %.1f%% (want <= 5%%)", 100*recall, 100*fp)
	}
}
