package httpapi

import (
	"bufio"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/verdict-cms/verdict/internal/lead"
)

// failAfter accepts n bytes, then fails like a connection whose client left.
type failAfter struct {
	n   int
	got strings.Builder
}

var errGone = errors.New("connection reset by peer")

func (f *failAfter) Write(p []byte) (int, error) {
	if f.got.Len()+len(p) > f.n {
		return 0, errGone
	}
	return f.got.WriteString(string(p))
}

func leadsPage(from, n int) []*lead.Lead {
	var out []*lead.Lead
	for i := from; i < from+n; i++ {
		out = append(out, &lead.Lead{ID: fmt.Sprintf("id-%04d", i), Reference: fmt.Sprintf("VRD-%d", i), Name: "Ada", Email: "ada@example.com"})
	}
	return out
}

// morePages serves a full second page after id-0009, then a last one of 3,
// counting the calls.
func morePages(calls *int) func(string) ([]*lead.Lead, error) {
	return func(after string) ([]*lead.Lead, error) {
		*calls++
		if want := fmt.Sprintf("id-%04d", *calls*10-1); after != want {
			return nil, fmt.Errorf("next page after %q, want %q", after, want)
		}
		if *calls == 1 {
			return leadsPage(10, 10), nil
		}
		return leadsPage(20, 3), nil
	}
}

// TestLeadCSVStopsWhenTheClientLeaves: every page is read while the client
// reads; once writing fails, no further page is fetched and the error says
// how far the export got.
func TestLeadCSVStopsWhenTheClientLeaves(t *testing.T) {
	var whole strings.Builder
	var fetchedAll int
	if _, err := writeLeadCSV(bufio.NewWriter(&whole), leadsPage(0, 10), 10, morePages(&fetchedAll)); err != nil {
		t.Fatal(err)
	}
	wholeFile := whole.Len()
	for _, c := range []struct {
		name      string
		accept    int // bytes the client takes before leaving
		wantPages int
		wantErr   bool
	}{
		{"client reads it all", 1 << 20, 2, false},
		{"client leaves during the first page", 200, 0, true},
		{"client leaves during the last page", -10, 2, true}, // 10 bytes short of the whole file
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.accept < 0 {
				c.accept += wholeFile
			}
			conn := &failAfter{n: c.accept}
			w := bufio.NewWriterSize(conn, 512)
			fetched := 0
			rows, err := writeLeadCSV(w, leadsPage(0, 10), 10, morePages(&fetched))
			if (err != nil) != c.wantErr || (err != nil && !errors.Is(err, errGone)) {
				t.Fatalf("err %v, want a write error: %v", err, c.wantErr)
			}
			if fetched != c.wantPages {
				t.Fatalf("fetched %d more pages, want %d", fetched, c.wantPages)
			}
			if !c.wantErr && (rows != 23 || strings.Count(conn.got.String(), "\n") != 24) {
				t.Fatalf("%d rows, %d lines", rows, strings.Count(conn.got.String(), "\n"))
			}
		})
	}
}

// TestLeadCSVReportsReadErrors: a page that cannot be read ends the export
// with an error naming the row it stopped after.
func TestLeadCSVReportsReadErrors(t *testing.T) {
	var b strings.Builder
	_, err := writeLeadCSV(bufio.NewWriter(&b), leadsPage(0, 10), 10, func(string) ([]*lead.Lead, error) {
		return nil, errors.New("database gone")
	})
	if err == nil || !strings.Contains(err.Error(), "after row 10") {
		t.Fatalf("err %v", err)
	}
}
