package main

import (
	"log/slog"

	"github.com/parleyhq/parley/server/crisis"
	"github.com/parleyhq/parley/server/store"
	"github.com/parleyhq/parley/server/tone"
)

// toneScorer rates comments with package tone's analyser for
// comment.Service.
type toneScorer struct{}

func (toneScorer) Negativity(text string) float64 { return tone.Score(text).Score }

// toneCues explains a score in the inbox.
func toneCues(text string) []string { return tone.Score(text).Cues }

// newCrises returns the crisis watcher the alert worker runs and the inbox
// reads, with the default rules and tone's threshold.
func newCrises(st *store.Store, log *slog.Logger) *crisis.Watcher {
	return crisis.New(crisis.Config{Store: st, Rules: crisis.Rules{NegativeAt: tone.Threshold}, Log: log.With("component", "crisis")})
}
