package report

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/server/comment"
)

// Column is one figure of a row: its CSV name and its heading on the page.
type Column struct {
	Key, Label string
}

// Columns are the figures of a row after its date and author, in order.
// The page's tables and the CSV show the same cells, from Cells.
var Columns = [...]Column{
	{"comments", "Comments"}, {"answered", "Answered"}, {"no_reply_needed", "No reply needed"}, {"open", "Open"},
	{"share_answered", "Share answered"}, {"median_reply_minutes", "Median (min)"},
	{"p90_reply_minutes", "90th pct. (min)"}, {"scored", "Tone scored"},
	{"mean_negativity", "Mean negativity"}, {"share_negative", "Share negative"},
}

// Cells formats the figures as the page and the CSV show them: counts,
// shares as whole percentages ("83%"), reply times as whole minutes and
// the mean negativity with two decimals. A figure that does not exist
// (a share of nothing, the median of no replies) is "".
func Cells(f Figures) []string {
	out := []string{strconv.Itoa(f.Comments), strconv.Itoa(f.Answered), strconv.Itoa(f.NotNeeded), strconv.Itoa(f.Open), "", "", "", strconv.Itoa(f.Scored), "", ""}
	if s, ok := f.ShareAnswered(); ok {
		out[4] = Percent(s)
	}
	if f.Replies > 0 {
		out[5], out[6] = Minutes(f.Median), Minutes(f.P90)
	}
	if f.Scored > 0 {
		out[8] = strconv.FormatFloat(f.MeanNegativity, 'f', 2, 64)
	}
	if s, ok := f.ShareNegative(); ok {
		out[9] = Percent(s)
	}
	return out
}

// Percent formats a share as a whole percentage.
func Percent(share float64) string {
	return strconv.Itoa(int(math.Round(share*100))) + "%"
}

// Minutes formats a duration as whole minutes.
func Minutes(d time.Duration) string {
	return strconv.Itoa(int(d.Round(time.Minute) / time.Minute))
}

// BacklogKeys name the CSV's backlog columns, from comment.BacklogLabels:
// "open_now_1h" counts those under an hour old, "open_now_older" those
// past the last bound.
func BacklogKeys() []string {
	out := []string{"open_now", "overdue_now"}
	for _, l := range comment.BacklogLabels {
		out = append(out, "open_now_"+l)
	}
	return out
}

// BacklogCells formats a backlog in the order of BacklogKeys.
func BacklogCells(b comment.Backlog) []string {
	out := []string{strconv.Itoa(b.Total()), strconv.Itoa(b.Overdue)}
	for _, n := range b.Buckets {
		out = append(out, strconv.Itoa(n))
	}
	return out
}

// Rows are the CSV's rows after its header: a row per day and a "total"
// row (with the backlog now) for the dashboard's selection, then the same
// for each assignee when it covers them all.
func Rows(d Dashboard) [][]string {
	out := block(d.AssigneeName, d.Days, d.Total, d.Backlog)
	for _, p := range d.People {
		out = append(out, block(p.Name, p.Days, p.Figures, p.Backlog)...)
	}
	return out
}

func block(name string, days []Day, total Figures, b comment.Backlog) [][]string {
	none := make([]string, len(BacklogKeys()))
	var out [][]string
	for _, day := range days {
		row := append([]string{day.Date.Format(time.DateOnly), name}, Cells(day.Figures)...)
		out = append(out, append(row, none...))
	}
	row := append([]string{"total", name}, Cells(total)...)
	return append(out, append(row, BacklogCells(b)...))
}

// Header is the CSV's first row.
func Header() []string {
	out := []string{"date", "author"}
	for _, c := range Columns {
		out = append(out, c.Key)
	}
	return append(out, BacklogKeys()...)
}

// WriteCSV writes the dashboard as CSV (RFC 4180: quoted where needed,
// CRLF line ends). A cell that a spreadsheet would take for a formula
// (starting with = + - @, a tab or a carriage return: an author's name
// can) gets a leading apostrophe.
func WriteCSV(w io.Writer, d Dashboard) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	for _, row := range append([][]string{Header()}, Rows(d)...) {
		for i, cell := range row {
			row[i] = defuse(cell)
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func defuse(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
