package chart

import "math"

// Line draws each series as a line over the labels (days), with a dot and
// a hover title at each value. Missing values break the line.
func Line(c Chart) string {
	var b svg
	b.open(c, "line", width, height)
	if !hasData(c.Series, false) || len(c.Labels) == 0 {
		b.empty(c, width, height)
		return b.close()
	}
	a := newAxis(top(c.Series, false), c.Unit)
	b.legend(c.Series)
	b.grid(a)
	b.xLabels(c.Labels)
	r := 2.5
	if len(c.Labels) > 31 {
		r = 2
	}
	for i, s := range c.Series {
		b.printf(`<g class="pc-series pc-s%d">`, i)
		b.path(s, len(c.Labels), a)
		for k := range c.Labels {
			v := value(s, k)
			if math.IsNaN(v) {
				continue
			}
			b.printf(`<circle cx="%s" cy="%s" r="%s" fill="currentColor"><title>%s: %s %s</title></circle>`,
				num(xCenter(k, len(c.Labels))), num(y(v, a)), num(r), esc(c.Labels[k]), esc(s.Name), esc(Format(v, c.Unit)))
		}
		b.printf(`</g>`)
	}
	return b.close()
}

// path writes the series' line, one run per stretch without gaps.
func (b *svg) path(s Series, n int, a axis) {
	d, pen := "", false
	for k := range n {
		v := value(s, k)
		if math.IsNaN(v) {
			pen = false
			continue
		}
		op := "L"
		if !pen {
			op = "M"
		}
		d += op + num(xCenter(k, n)) + " " + num(y(v, a))
		pen = true
	}
	b.printf(`<path d="%s" fill="none" stroke="currentColor" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>`, d)
}

// Columns draws one column per label, its series stacked from the bottom
// in order, with a hover title giving every part.
func Columns(c Chart) string {
	var b svg
	b.open(c, "columns", width, height)
	if !hasData(c.Series, true) || len(c.Labels) == 0 {
		b.empty(c, width, height)
		return b.close()
	}
	a := newAxis(top(c.Series, true), c.Unit)
	b.legend(c.Series)
	b.grid(a)
	b.xLabels(c.Labels)
	n := len(c.Labels)
	band := (plotRight - plotLeft) / float64(n)
	w := math.Max(band*0.7, 1)
	for k, label := range c.Labels {
		title, base := esc(label), 0.0
		for _, s := range c.Series {
			title += "&#10;" + esc(s.Name) + ": " + esc(Format(zeroNaN(value(s, k)), c.Unit))
		}
		b.printf(`<g><title>%s</title>`, title)
		for i, s := range c.Series {
			v := zeroNaN(value(s, k))
			if v <= 0 {
				continue
			}
			y0, y1 := y(base, a), y(base+v, a)
			b.printf(`<rect class="pc-s%d" x="%s" y="%s" width="%s" height="%s" fill="currentColor"/>`,
				i, num(xCenter(k, n)-w/2), num(y1), num(w), num(y0-y1))
			base += v
		}
		b.printf(`</g>`)
	}
	return b.close()
}

// grid writes the horizontal grid lines with their value labels.
func (b *svg) grid(a axis) {
	b.printf(`<g class="pc-grid">`)
	for _, t := range a.ticks() {
		yy := num(y(t, a))
		b.printf(`<line x1="%d" x2="%d" y1="%s" y2="%s" stroke="currentColor"/>`, plotLeft, plotRight, yy, yy)
	}
	b.printf(`</g><g class="pc-axis" text-anchor="end" fill="currentColor">`)
	for _, t := range a.ticks() {
		b.printf(`<text x="%d" y="%s">%s</text>`, plotLeft-6, num(y(t, a)+5), esc(a.tickLabel(t)))
	}
	b.printf(`</g>`)
}

// xLabels writes at most maxXLabels day labels, always including the last
// (today), evenly spaced back from it.
func (b *svg) xLabels(labels []string) {
	n := len(labels)
	every := (n + maxXLabels - 1) / maxXLabels
	b.printf(`<g class="pc-axis" text-anchor="middle" fill="currentColor">`)
	for k, l := range labels {
		if (n-1-k)%every != 0 {
			continue
		}
		b.printf(`<text x="%s" y="%d">%s</text>`, num(xCenter(k, n)), height-9, esc(l))
	}
	b.printf(`</g>`)
}

// close ends the chart and returns its markup.
func (b *svg) close() string {
	b.printf(`</svg>`)
	return b.String()
}

// xCenter is the middle of the k-th of n bands of the plot.
func xCenter(k, n int) float64 {
	band := (plotRight - plotLeft) / float64(n)
	return plotLeft + (float64(k)+0.5)*band
}

// y places value v on the axis.
func y(v float64, a axis) float64 {
	return plotBottom - (plotBottom-plotTop)*v/a.Max
}

// top is the largest value to show: of any series, or of the stacks.
func top(series []Series, stacked bool) float64 {
	var hi float64
	n := 0
	for _, s := range series {
		n = max(n, len(s.Values))
	}
	for k := range n {
		sum := 0.0
		for _, s := range series {
			v := zeroNaN(value(s, k))
			if stacked {
				sum += v
			} else {
				sum = max(sum, v)
			}
		}
		hi = max(hi, sum)
	}
	return hi
}

func zeroNaN(v float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return 0
	}
	return v
}
