package spam

import (
	"encoding/csv"
	"fmt"
	"io"
)

// Example is one labelled comment for Train.
type Example struct {
	Input Input
	Spam  bool
}

// ReadCSV reads labelled comments in the layout of the UCI YouTube Spam
// Collection: a header naming at least AUTHOR, CONTENT and label, where
// label is 1 for spam and 0 for ham. Other columns are ignored; in
// particular DATE is, because in that data it is missing for most spam of one
// file, which would let a model cheat.
func ReadCSV(r io.Reader) ([]Example, error) {
	cr := csv.NewReader(r)
	head, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("spam: read csv header: %w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[h] = i
	}
	for _, need := range []string{"AUTHOR", "CONTENT", "label"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("spam: csv has no %s column", need)
		}
	}
	var out []Example
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("spam: read csv: %w", err)
		}
		label := rec[col["label"]]
		if label != "0" && label != "1" {
			return nil, fmt.Errorf("spam: csv row %d: label %q is not 0 or 1", len(out)+2, label)
		}
		out = append(out, Example{
			Input: Input{Body: rec[col["CONTENT"]], Author: rec[col["AUTHOR"]]},
			Spam:  label == "1",
		})
	}
}
