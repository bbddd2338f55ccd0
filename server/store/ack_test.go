package store_test

import (
	"maps"
	"testing"

	"github.com/parleyhq/parley/server/comment"
	"github.com/parleyhq/parley/server/store/storetest"
)

// TestSiteAckTexts stores a site's acknowledgement wordings and reads
// them back, and checks a site saved from the configuration keeps them.
func TestSiteAckTexts(t *testing.T) {
	for _, engine := range storetest.Engines {
		t.Run(engine, func(t *testing.T) {
			ctx := t.Context()
			st := storetest.OpenEngine(t, engine, nil)
			site, err := st.SaveSite(ctx, comment.Site{Name: "blog", Origins: []string{"https://a.example"}})
			if err != nil {
				t.Fatal(err)
			}
			if site.AckTexts != nil {
				t.Fatalf("a new site has wordings %q", site.AckTexts)
			}
			texts := map[string]string{"pl": "Dziękujemy, {name}! Odpowiemy {expected}.", "el": "Ευχαριστούμε \"{name}\" <b>"}
			site.AckTexts = texts
			saved, err := st.UpdateSite(ctx, site)
			if err != nil {
				t.Fatal(err)
			}
			if !maps.Equal(saved.AckTexts, texts) {
				t.Errorf("saved %q, want %q", saved.AckTexts, texts)
			}
			if _, err := st.SaveSite(ctx, comment.Site{Name: "blog", Origins: []string{"https://b.example"}}); err != nil {
				t.Fatal(err)
			}
			sites, err := st.FindSites(ctx)
			if err != nil || len(sites) != 1 || !maps.Equal(sites[0].AckTexts, texts) {
				t.Fatalf("after the configuration saved the site again: %+v, %v", sites, err)
			}
			site.AckTexts = map[string]string{}
			if saved, err = st.UpdateSite(ctx, site); err != nil || saved.AckTexts != nil {
				t.Errorf("cleared: %q, %v", saved.AckTexts, err)
			}
		})
	}
}
