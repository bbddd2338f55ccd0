// Command train writes the spam package's shipped model: it reads every
// labelled CSV file in the data folder, runs spam.Train over all of them and
// writes the result. From the repository root:
//
//	go run ./server/spam/internal/train
//
// TestShippedModel in server/spam checks that model.txt is what this writes.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"

	"github.com/parleyhq/parley/server/spam"
)

func main() {
	data := flag.String("data", "server/spam/testdata", "folder of labelled CSV files")
	out := flag.String("out", "server/spam/model.txt", "model file to write")
	flag.Parse()
	if err := run(*data, *out); err != nil {
		fmt.Fprintln(os.Stderr, "train:", err)
		os.Exit(1)
	}
}

func run(data, out string) error {
	files, err := filepath.Glob(filepath.Join(data, "*.csv"))
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return fmt.Errorf("no CSV files in %s", data)
	}
	slices.Sort(files)
	var all []spam.Example
	for _, name := range files {
		ex, err := readFile(name)
		if err != nil {
			return err
		}
		all = append(all, ex...)
	}
	text, err := spam.Train(all).MarshalText()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, text, 0o644); err != nil {
		return err
	}
	fmt.Printf("trained on %d comments from %d files; wrote %s (%d bytes)\n", len(all), len(files), out, len(text))
	return nil
}

func readFile(name string) ([]spam.Example, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	ex, err := spam.ReadCSV(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return ex, nil
}
