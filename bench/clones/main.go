// Command clones turns a `verdict export` file into one with N more
// published guides shaped like its node-vs-django guide (own slug, title and
// a word of their own), for loading benches through `verdict import`.
//
//	verdict export | clones N > content.json
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
)

func main() {
	n, err := strconv.Atoi(os.Args[len(os.Args)-1])
	if len(os.Args) != 2 || err != nil {
		fmt.Fprintln(os.Stderr, "usage: verdict export | clones N > content.json")
		os.Exit(2)
	}
	var f map[string]any
	if err := json.NewDecoder(bufio.NewReader(os.Stdin)).Decode(&f); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var proto map[string]any
	for _, g := range f["guides"].([]any) {
		if d := g.(map[string]any)["document"].(map[string]any); d["slug"] == "node-vs-django" {
			proto = d
		}
	}
	if proto == nil {
		fmt.Fprintln(os.Stderr, "clones: no node-vs-django guide in the export")
		os.Exit(1)
	}
	// Write the clones one by one so that 100,000 of them need no memory.
	w := bufio.NewWriterSize(os.Stdout, 1<<20)
	guides := f["guides"].([]any)
	delete(f, "guides")
	head, _ := json.Marshal(f)
	w.Write(head[:len(head)-1]) // without the closing brace
	w.WriteString(`,"guides":[`)
	for i, g := range guides {
		if i > 0 {
			w.WriteString(",")
		}
		b, _ := json.Marshal(g)
		w.Write(b)
	}
	for i := 1; i <= n; i++ {
		proto["slug"] = "guide-" + strconv.Itoa(i)
		proto["title"] = "Guide " + strconv.Itoa(i) + " vs Django"
		// A word in this guide alone: a rare search term.
		proto["summary"] = "Unique word zq" + strconv.Itoa(i) + "x. " + "Node.js or Django for your next backend."
		b, _ := json.Marshal(map[string]any{"status": "published", "document": proto})
		w.WriteString(",")
		w.Write(b)
	}
	w.WriteString("]}\n")
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
