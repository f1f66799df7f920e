// Command clones turns a `verdict export` file into one with N more
// published guides shaped like its node-vs-django guide (own slug, title and
// a word of their own), for loading benches through `verdict import`. The
// clones are guide-FIRST .. guide-(FIRST+N-1); FIRST defaults to 1.
//
//	verdict export | clones N [FIRST] > content.json
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "clones:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 1 || len(args) > 2 {
		return fmt.Errorf("usage: verdict export | clones N [FIRST] > content.json")
	}
	n, err := strconv.Atoi(args[0])
	if err != nil {
		return fmt.Errorf("N: %w", err)
	}
	first := 1
	if len(args) == 2 {
		if first, err = strconv.Atoi(args[1]); err != nil {
			return fmt.Errorf("FIRST: %w", err)
		}
	}
	var f map[string]json.RawMessage
	if err := json.NewDecoder(bufio.NewReader(os.Stdin)).Decode(&f); err != nil {
		return fmt.Errorf("read the export: %w", err)
	}
	var guides []map[string]any
	if err := json.Unmarshal(f["guides"], &guides); err != nil {
		return fmt.Errorf("read the guides: %w", err)
	}
	var proto map[string]any
	for _, g := range guides {
		if d := g["document"].(map[string]any); d["slug"] == "node-vs-django" {
			proto = d
		}
	}
	if proto == nil {
		return fmt.Errorf("no node-vs-django guide in the export")
	}
	// The export's own parts first, format and version leading, the
	// guides last, written one by one so that 100,000 need no memory.
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	w.WriteString("{")
	for _, k := range []string{"format", "version", "categories", "technologies", "category_translations", "technology_translations"} {
		if v, ok := f[k]; ok {
			fmt.Fprintf(w, "%q:%s,", k, v)
		}
	}
	w.WriteString(`"guides":[`)
	for i, g := range guides {
		if i > 0 {
			w.WriteString(",")
		}
		b, _ := json.Marshal(g)
		w.Write(b)
	}
	for i := first; i < first+n; i++ {
		proto["slug"] = "guide-" + strconv.Itoa(i)
		proto["title"] = "Guide " + strconv.Itoa(i) + " vs Django"
		// A word in this guide alone: a rare search term.
		proto["summary"] = "Unique word zq" + strconv.Itoa(i) + "x. " + "Node.js or Django for your next backend."
		b, err := json.Marshal(map[string]any{"status": "published", "document": proto})
		if err != nil {
			return err
		}
		w.WriteString(",")
		w.Write(b)
	}
	w.WriteString("]}\n")
	return w.Flush()
}
