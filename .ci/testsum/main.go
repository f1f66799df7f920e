// Command testsum reads `go test -json` on stdin, prints each package's
// result and the full output of every failing test, and ends with counts:
// how many tests passed, failed and were skipped, and how many of them ran
// on PostgreSQL. It exits non-zero when anything failed.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

func main() {
	var passed, failed, skipped, pgPassed, pgSkipped int
	output := map[string][]string{} // package/test → lines, kept until the test ends
	sc := bufio.NewScanner(os.Stdin)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var e event
		if err := json.Unmarshal(sc.Bytes(), &e); err != nil {
			fmt.Println(sc.Text()) // build errors arrive as plain text
			continue
		}
		key := e.Package + "/" + e.Test
		pg := strings.Contains(e.Test, "postgres")
		switch e.Action {
		case "build-output":
			fmt.Print(e.Output)
		case "output":
			output[key] = append(output[key], e.Output)
		case "pass", "fail", "skip":
			if e.Test == "" {
				if e.Action == "fail" {
					fmt.Print(strings.Join(output[key], ""))
				}
				fmt.Printf("%-4s %s %.2fs\n", strings.ToUpper(e.Action), e.Package, e.Elapsed)
				delete(output, key)
				continue
			}
			switch e.Action {
			case "pass":
				passed++
				if pg {
					pgPassed++
				}
			case "fail":
				failed++
				fmt.Print(strings.Join(output[key], ""))
			case "skip":
				skipped++
				if pg {
					pgSkipped++
				}
			}
			delete(output, key)
		}
	}
	fmt.Printf("PostgreSQL: %d tests passed, %d skipped\n", pgPassed, pgSkipped)
	fmt.Printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped)
	if failed > 0 {
		os.Exit(1)
	}
}
