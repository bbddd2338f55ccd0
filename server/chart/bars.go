package chart

// Geometry of the horizontal bars, in viewBox units.
const (
	barLabelWidth = 72
	barRow        = 32
	barHeight     = 20
	barTop        = 6
	barValueRoom  = 44
)

// Bars draws the first series as one horizontal bar per label, with its
// value at the bar's end: a breakdown such as the backlog by age. A series
// named "highlight" (the second, if any) marks the labels to draw in the
// warning colour: a value other than zero highlights that bar.
func Bars(c Chart) string {
	var b svg
	rows := max(len(c.Labels), 1)
	h := barTop*2 + rows*barRow
	b.open(c, "bars", width, h)
	if len(c.Series) == 0 || !hasData(c.Series[:1], true) {
		b.empty(c, width, h)
		return b.close()
	}
	s := c.Series[0]
	hi := top(c.Series[:1], false)
	room := float64(width - barLabelWidth - barValueRoom)
	for k, label := range c.Labels {
		v := zeroNaN(value(s, k))
		yy := barTop + k*barRow
		class := "pc-s0"
		if len(c.Series) > 1 && zeroNaN(value(c.Series[1], k)) != 0 {
			class = "pc-warn"
		}
		w := room * v / hi
		b.printf(`<g><title>%s: %s</title>`, esc(label), esc(Format(v, c.Unit)))
		b.printf(`<text class="pc-axis" x="%d" y="%d" text-anchor="end" fill="currentColor">%s</text>`,
			barLabelWidth-8, yy+barHeight/2+6, esc(label))
		b.printf(`<rect class="pc-track" x="%d" y="%d" width="%s" height="%d" rx="3" fill="currentColor"/>`,
			barLabelWidth, yy, num(room), barHeight)
		if v > 0 {
			b.printf(`<rect class="%s" x="%d" y="%d" width="%s" height="%d" rx="3" fill="currentColor"/>`,
				class, barLabelWidth, yy, num(max(w, 2)), barHeight)
		}
		b.printf(`<text class="pc-value" x="%s" y="%d" fill="currentColor">%s</text></g>`,
			num(float64(barLabelWidth)+room+6), yy+barHeight/2+6, esc(Format(v, c.Unit)))
	}
	return b.close()
}
