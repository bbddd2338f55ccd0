package chart

import (
	"encoding/xml"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var nan = math.NaN()

// hostile is a site title that tries to break out of the SVG.
const hostile = `</title><script>alert(1)</script>"&<b onload=x>`

func goldenCharts() map[string]string {
	days := []string{"Nov 17", "Nov 18", "Nov 19", "Nov 20", "Nov 21", "Nov 22", "Nov 23"}
	return map[string]string{
		"line": Line(Chart{ID: "reply", Title: "Time to first reply", Desc: "Median and 90th percentile per day.",
			Labels: days, Unit: Minutes, Series: []Series{
				{Name: "Median", Values: []float64{45, 130, nan, 60, 95, nan, 30}},
				{Name: "90th percentile", Values: []float64{90, 300, nan, 200, 180, nan, 30}},
			}}),
		"columns": Columns(Chart{ID: "posted", Title: "Comments per day", Desc: "Answered and open.",
			Labels: days, Unit: Count, Series: []Series{
				{Name: "Answered", Values: []float64{3, 5, 0, 2, 7, 1, 0}},
				{Name: "No reply needed", Values: []float64{1, 0, 0, 0, 1, 0, 0}},
				{Name: "Open", Values: []float64{0, 1, 0, 0, 2, 1, 4}},
			}}),
		"bars": Bars(Chart{ID: "backlog", Title: "Open comments by age", Desc: "Open comments now.",
			Labels: []string{"< 1h", "1h–4h", "4h–1d", "1d–3d", "3d–7d", "> 7d"}, Unit: Count, Series: []Series{
				{Name: "Open", Values: []float64{4, 2, 0, 3, 1, 0}},
				{Name: "highlight", Values: []float64{0, 0, 0, 1, 1, 0}},
			}}),
		"empty": Line(Chart{ID: "tone", Title: "Negativity", Desc: "None scored.", Labels: days, Unit: Score,
			Empty: "No comments in this period.", Series: []Series{{Name: "Mean", Values: []float64{nan, nan}}}}),
		"hostile": Columns(Chart{ID: `x"y`, Title: hostile, Desc: hostile, Labels: []string{hostile, "b"}, Unit: Percent,
			Series: []Series{{Name: hostile, Values: []float64{50, 100}}, {Name: "b", Values: []float64{10, 0}}}}),
	}
}

func TestGolden(t *testing.T) {
	for name, got := range goldenCharts() {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("testdata", name+".svg")
			if *update {
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run with -update to write it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s:\n%s", name, path, got)
			}
		})
	}
}

// TestWellFormed parses every chart as XML, and checks that no markup from
// the data got through and that nothing in it runs.
func TestWellFormed(t *testing.T) {
	for name, svg := range goldenCharts() {
		d := xml.NewDecoder(strings.NewReader(svg))
		var root string
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v in %s", name, err, svg)
			}
			if se, ok := tok.(xml.StartElement); ok {
				if root == "" {
					root = se.Name.Local
				}
				switch se.Name.Local {
				case "script", "b", "foreignObject":
					t.Errorf("%s: element <%s> from the data", name, se.Name.Local)
				}
				for _, a := range se.Attr {
					if strings.HasPrefix(a.Name.Local, "on") || a.Name.Local == "style" {
						t.Errorf("%s: attribute %s", name, a.Name.Local)
					}
				}
			}
		}
		if root != "svg" {
			t.Errorf("%s: root element %q", name, root)
		}
		for _, want := range []string{`role="img"`, `aria-labelledby=`, `<title id=`, `<desc id=`, `viewBox="0 0 480 `, `width="100%"`} {
			if !strings.Contains(svg, want) {
				t.Errorf("%s lacks %s", name, want)
			}
		}
	}
}

func TestEmptyMessage(t *testing.T) {
	tests := []struct {
		name, svg, want string
	}{
		{"line without values", Line(Chart{Labels: []string{"a"}, Series: []Series{{Values: []float64{nan}}}, Empty: "No comments in this period."}), "No comments in this period."},
		{"columns of zeros", Columns(Chart{Labels: []string{"a", "b"}, Series: []Series{{Values: []float64{0, 0}}}, Empty: "Nothing."}), "Nothing."},
		{"bars of zeros", Bars(Chart{Labels: []string{"a"}, Series: []Series{{Values: []float64{0}}}, Empty: "No open comments."}), "No open comments."},
		{"no labels", Columns(Chart{}), "No data in this period."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(tt.svg, tt.want) || strings.Contains(tt.svg, "<rect") || strings.Contains(tt.svg, "<path") {
				t.Errorf("got %s", tt.svg)
			}
		})
	}
}

func TestAxis(t *testing.T) {
	tests := []struct {
		name  string
		top   float64
		unit  Unit
		ticks string
	}{
		{"few comments", 3, Count, "0 1 2 3 4"},
		{"no comments", 0, Count, "0 1 2 3 4"},
		{"many comments", 37, Count, "0 10 20 30 40"},
		{"odd count", 13, Count, "0 5 10 15"},
		{"minutes", 45, Minutes, "0 20 min 40 min 60 min"},
		{"hours", 300, Minutes, "0 2 h 4 h 6 h"},
		{"a long day", 26 * 60, Minutes, "0 10 h 20 h 30 h"},
		{"percent", 83, Percent, "0% 20% 40% 60% 80% 100%"},
		{"low percent", 7, Percent, "0% 5% 10%"},
		{"score", 0.34, Score, "0 0.1 0.2 0.3 0.4"},
		{"score at one", 1, Score, "0 0.2 0.4 0.6 0.8 1.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAxis(tt.top, tt.unit)
			var got []string
			for _, v := range a.ticks() {
				got = append(got, a.tickLabel(v))
			}
			if strings.Join(got, " ") != tt.ticks {
				t.Errorf("ticks for %v = %q, want %q", tt.top, strings.Join(got, " "), tt.ticks)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		v    float64
		u    Unit
		want string
	}{
		{"count", 12, Count, "12"},
		{"percent rounds", 83.5, Percent, "84%"},
		{"score", 0.345, Score, "0.34"},
		{"minutes", 45, Minutes, "45 min"},
		{"hours", 125, Minutes, "2 h 05 min"},
		{"missing", nan, Minutes, "–"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Format(tt.v, tt.u); got != tt.want {
				t.Errorf("Format(%v) = %q, want %q", tt.v, got, tt.want)
			}
		})
	}
}

func TestXLabelsKeepToday(t *testing.T) {
	labels := make([]string, 90)
	for i := range labels {
		labels[i] = "d" + string(rune('A'+i%26)) + string(rune('0'+i/26))
	}
	svg := Columns(Chart{Labels: labels, Series: []Series{{Values: []float64{1}}}})
	n := strings.Count(svg, `<text x=`) - 5 // minus the value axis
	if n > maxXLabels || !strings.Contains(svg, ">"+labels[89]+"<") {
		t.Errorf("%d day labels; today's shown: %v", n, strings.Contains(svg, labels[89]))
	}
}
