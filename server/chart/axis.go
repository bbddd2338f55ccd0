package chart

import (
	"fmt"
	"math"
	"strconv"
)

// axis is a value axis from 0 to Max with a tick every Step.
type axis struct {
	Max, Step float64
	Unit      Unit
}

// newAxis chooses an axis for values up to top, with about four ticks on a
// 1-2-5 step. Counts step by whole numbers; minutes by minutes under two
// hours and by hours above; percentages above half
// show the whole 0–100%, and scores above 0.5 the whole 0–1.
func newAxis(top float64, u Unit) axis {
	scale := 1.0 // value units per axis unit
	if u == Minutes && top >= 120 {
		scale = 60
	}
	t := top / scale
	floor := map[Unit]float64{Count: 4, Percent: 10, Minutes: 4, Score: 0.1}[u]
	if u == Minutes && scale == 60 {
		floor = 2
	}
	t = math.Max(t, floor)
	step := niceStep(t / 4)
	if u == Count || u == Minutes {
		step = math.Max(step, 1)
	}
	hi := math.Ceil(t/step-1e-9) * step
	switch {
	case u == Percent && t > 50:
		hi, step = 100, 20
	case u == Score && t > 0.5:
		hi, step = 1, 0.2
	}
	return axis{Max: hi * scale, Step: step * scale, Unit: u}
}

// niceStep rounds x up to 1, 2 or 5 times a power of ten.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5, 10} {
		if x <= m*p*(1+1e-9) {
			return m * p
		}
	}
	return 10 * p
}

// ticks lists the tick values from 0 to Max.
func (a axis) ticks() []float64 {
	n := int(math.Round(a.Max / a.Step))
	out := make([]float64, n+1)
	for i := range out {
		out[i] = float64(i) * a.Step
	}
	return out
}

// tickLabel labels a tick of the axis.
func (a axis) tickLabel(v float64) string {
	if v == 0 && a.Unit != Percent {
		return "0"
	}
	switch a.Unit {
	case Percent:
		return trim(v) + "%"
	case Score:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case Minutes:
		if a.Max >= 120 {
			return trim(v/60) + " h"
		}
		return trim(v) + " min"
	}
	return trim(v)
}

// Format shows a value as the charts' point titles do: "12", "83%",
// "0.34", "2 h 05 min". The report pages use it too, so the figures read
// the same everywhere.
func Format(v float64, u Unit) string {
	if math.IsNaN(v) {
		return "–"
	}
	switch u {
	case Percent:
		return strconv.FormatFloat(math.Round(v), 'f', 0, 64) + "%"
	case Score:
		return strconv.FormatFloat(v, 'f', 2, 64)
	case Minutes:
		m := int(math.Round(v))
		if m < 60 {
			return fmt.Sprintf("%d min", m)
		}
		return fmt.Sprintf("%d h %02d min", m/60, m%60)
	}
	return trim(v)
}

// trim formats v with at most two decimals and none that are zero.
func trim(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}
