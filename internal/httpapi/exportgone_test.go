package httpapi_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/database"
	"github.com/verdict-cms/verdict/internal/dbtest"
)

// smallBuffers accepts connections whose send buffer is small, so that a
// streamed response blocks on a client that does not read, as it would
// over a real network, instead of vanishing into loopback's large buffers.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4 << 10)
	}
	return c, err
}

// TestLeadExportStopsWhenTheClientLeaves runs a real listener: a client
// that reads the start of the CSV export and hangs up ends it within the
// first page; the next page is never read from the database, and the log
// says where it stopped, under the request's ID.
func TestLeadExportStopsWhenTheClientLeaves(t *testing.T) {
	dbtest.Run(t, func(t *testing.T, db *database.DB) {
		in := newIntake(t, db)
		const n = 501 // one more than a page
		for i := range n {
			in.submit(submission(fmt.Sprintf("Prospect %d", i))).wantStatus(http.StatusCreated)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = in.app.Listener(smallBuffers{ln}) }()
		t.Cleanup(func() { _ = in.app.Shutdown() })

		conn, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.(*net.TCPConn).SetReadBuffer(4 << 10)
		fmt.Fprintf(conn, "GET /api/v1/admin/leads/export.csv HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nX-Request-ID: export-gone-1\r\n\r\n", in.admin)
		status, err := bufio.NewReader(conn).ReadString('\n')
		if err != nil || !strings.Contains(status, " 200 ") {
			t.Fatalf("status line %q, %v", status, err)
		}
		_ = conn.Close() // unread data: the kernel resets the connection

		// The stream's writer runs on its own goroutine and learns of the
		// closed connection when it next writes: wait for its log line.
		var stopped map[string]any
		for deadline := time.Now().Add(20 * time.Second); stopped == nil && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			for _, l := range strings.Split(in.logText(), "\n") {
				var line map[string]any
				if json.Unmarshal([]byte(l), &line) == nil && line["msg"] == "lead export stopped" {
					stopped = line
				}
			}
		}
		if stopped == nil {
			t.Fatalf("no log line says the export stopped:\n%s", in.logText())
		}
		rows, _ := stopped["rows"].(float64)
		if stopped["request_id"] != "export-gone-1" || rows >= 500 || stopped["err"] == nil {
			t.Fatalf("log %v: want the request's ID, fewer rows than the first page (the second never read) and the write error", stopped)
		}
	})
}

// logText is what the server logged so far, read under the writer's lock.
func (e *testEnv) logText() string {
	e.logsOut.mu.Lock()
	defer e.logsOut.mu.Unlock()
	return e.logs.String()
}
