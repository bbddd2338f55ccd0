// Package chart draws small server-rendered SVG charts for the admin
// panel: lines over days, stacked columns over days and horizontal bars.
// The SVG carries no script and no inline style: colours come from CSS
// classes (pc-s0, pc-s1, …) that the page styles with its theme's custom
// properties, so light and dark themes apply. Every text is escaped. The
// output depends only on the input, so it can be compared with golden
// files. It imports the standard library only.
package chart

import (
	"encoding/xml"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Unit says what the values are and how the axis labels them.
type Unit int

// The units.
const (
	Count   Unit = iota // whole numbers
	Percent             // 0 to 100, shown as "40%"
	Minutes             // durations in minutes, shown as "45 min" or "2 h"
	Score               // 0 to 1, shown as "0.4"
)

// Series is one named row of values, one per label. NaN is a missing
// value (a day without answered comments): lines break there.
type Series struct {
	Name   string
	Values []float64
}

// Chart is what every kind of chart draws.
type Chart struct {
	// ID prefixes the ids of the title and description, which must be
	// unique on a page.
	ID string
	// Title and Desc become the chart's <title> and <desc> and its
	// accessible name and description.
	Title, Desc string
	// Labels name the columns (days) or the bars.
	Labels []string
	Series []Series
	Unit   Unit
	// Empty is shown instead of a plot when there is no value to draw.
	Empty string
}

// Geometry of the day charts, in viewBox units. The viewBox is narrow so
// that the text stays legible when the chart is shrunk to a phone's width.
const (
	width      = 480
	height     = 240
	plotLeft   = 60
	plotRight  = width - 24 // room for the last day's label
	plotTop    = 42
	plotBottom = height - 30
	maxXLabels = 7
)

// fontSize is the charts' text size in viewBox units: large, because a
// chart is drawn at about two thirds of its viewBox on a laptop and on a
// phone alike.
const fontSize = 15

// svg collects the markup of one chart.
type svg struct {
	strings.Builder
}

func (b *svg) printf(format string, args ...any) { fmt.Fprintf(b, format, args...) }

// esc escapes s for text and for attribute values.
func esc(s string) string {
	var sb strings.Builder
	_ = xml.EscapeText(&sb, []byte(s))
	return sb.String()
}

// open writes the <svg> element with its title and description.
func (b *svg) open(c Chart, kind string, w, h int) {
	id := esc(c.ID)
	b.printf(`<svg xmlns="http://www.w3.org/2000/svg" class="pc pc-%s" viewBox="0 0 %d %d" width="100%%" `+
		`preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="%s-t" aria-describedby="%s-d" font-size="%d">`,
		kind, w, h, id, id, fontSize)
	b.printf(`<title id="%s-t">%s</title><desc id="%s-d">%s</desc>`, id, esc(c.Title), id, esc(c.Desc))
}

// empty writes the chart's empty message in the middle of its plot.
func (b *svg) empty(c Chart, w, h int) {
	msg := c.Empty
	if msg == "" {
		msg = "No data in this period."
	}
	b.printf(`<text class="pc-empty" x="%d" y="%d" text-anchor="middle" fill="currentColor">%s</text>`, w/2, h/2, esc(msg))
}

// legend writes the series' names with their colour along the top.
func (b *svg) legend(series []Series) {
	if len(series) < 2 {
		return
	}
	x := plotLeft
	for i, s := range series {
		name := short(s.Name, 24)
		b.printf(`<g class="pc-key pc-s%d"><rect x="%d" y="8" width="14" height="14" rx="3" fill="currentColor"/>`+
			`<text x="%d" y="21" fill="currentColor">%s</text></g>`, i, x, x+20, esc(name))
		x += 20 + textWidth(name) + 20
	}
}

// textWidth estimates the width of s at the charts' font size: enough to
// place legend entries one after another.
func textWidth(s string) int { return len([]rune(s)) * fontSize * 8 / 15 }

// short cuts s to n characters, marking the cut with an ellipsis.
func short(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// num formats a coordinate with at most one decimal, so the output is short
// and stable.
func num(x float64) string {
	return strconv.FormatFloat(math.Round(x*10)/10, 'f', -1, 64)
}

// hasData reports whether any series holds a value; nonZero asks for one
// that is not zero (columns and bars of zero draw nothing).
func hasData(series []Series, nonZero bool) bool {
	for _, s := range series {
		for _, v := range s.Values {
			if !math.IsNaN(v) && !math.IsInf(v, 0) && (!nonZero || v != 0) {
				return true
			}
		}
	}
	return false
}

// value returns series s's value at i, NaN when it has none.
func value(s Series, i int) float64 {
	if i >= len(s.Values) {
		return math.NaN()
	}
	return s.Values[i]
}
