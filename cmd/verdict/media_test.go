package main

import (
	"bufio"
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/verdict-cms/verdict/internal/dbtest"
)

// eachDatabase runs fn as a subtest on SQLite (an empty URL) and on a
// fresh PostgreSQL schema.
func eachDatabase(t *testing.T, fn func(t *testing.T, dbURL string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, "") })
	t.Run("postgres", func(t *testing.T) { fn(t, dbtest.PostgresURL(t, false)) })
}

// fakePNG is n bytes that sniff as PNG: the signature, then noise.
func fakePNG(t *testing.T, n int) []byte {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	copy(b, "\x89PNG\r\n\x1a\n")
	return b
}

// upload posts content as the multipart field "file" and returns the status
// and the stored file's URL.
func upload(t *testing.T, in *instance, token string, content []byte) (int, string) {
	t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	fw, _ := w.CreateFormFile("file", "big.png")
	_, _ = fw.Write(content)
	_ = w.Close()
	req, _ := http.NewRequest("POST", in.base+"/api/v1/admin/media", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var item struct{ URL string }
	_ = json.NewDecoder(res.Body).Decode(&item)
	return res.StatusCode, item.URL
}

func download(t *testing.T, in *instance, url string) (int, []byte) {
	t.Helper()
	res, err := http.Get(in.base + url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, b
}

// TestMediaAndBodyLimits: a 4 MB image uploads and comes back byte for
// byte; a file over VERDICT_MEDIA_MAX_BYTES and a 2 MB JSON body (with a
// Content-Length, or chunked) get 413 problem+json; on both databases.
func TestMediaAndBodyLimits(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		p := newProgram(t, dbURL)
		password := passwordLine.FindStringSubmatch(p.mustRun("", "bootstrap"))[1]
		in := startInstance(t, p)
		token := login(t, in, password)

		img := fakePNG(t, 4<<20)
		status, url := upload(t, in, token, img)
		if status != http.StatusCreated {
			t.Fatalf("4 MB upload: %d", status)
		}
		if status, got := download(t, in, url); status != 200 || !bytes.Equal(got, img) {
			t.Fatalf("download: %d, %d bytes (equal %v)", status, len(got), bytes.Equal(got, img))
		}
		if status, _ := upload(t, in, token, fakePNG(t, 5<<20+1)); status != http.StatusRequestEntityTooLarge {
			t.Fatalf("upload over the media limit: %d", status)
		}

		big := `{"name":"` + strings.Repeat("x", 2<<20) + `"}`
		for _, body := range []io.Reader{strings.NewReader(big), io.MultiReader(strings.NewReader(big))} { // sized, chunked
			req, _ := http.NewRequest("POST", in.base+"/api/v1/consultations", body)
			req.Header.Set("Content-Type", "application/json")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			raw, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/problem+json") {
				t.Fatalf("2 MB JSON (chunked %v): %d %s %.200s", req.ContentLength < 0, res.StatusCode, res.Header.Get("Content-Type"), raw)
			}
		}
	})
}

// TestMediaSharedBetweenInstances: on PostgreSQL a file uploaded through
// one instance is served by another that has its own data directory.
func TestMediaSharedBetweenInstances(t *testing.T) {
	a := newProgram(t, dbtest.PostgresURL(t, false))
	password := passwordLine.FindStringSubmatch(a.mustRun("", "bootstrap"))[1]
	b := &program{t: t, env: map[string]string{}}
	for k, v := range a.env {
		b.env[k] = v
	}
	b.env["VERDICT_DATA_DIR"] = t.TempDir() // nothing on disk is shared
	ia, ib := startInstance(t, a), startInstance(t, b)
	img := fakePNG(t, 300<<10)
	status, url := upload(t, ia, login(t, ia, password), img)
	if status != http.StatusCreated {
		t.Fatalf("upload: %d", status)
	}
	if status, got := download(t, ib, url); status != 200 || !bytes.Equal(got, img) {
		t.Fatalf("instance b: %d, %d bytes", status, len(got))
	}
}

// TestMediaSlowReaders holds 200 connections that each read a 4 MB image
// slowly: the server streams the file, so its heap grows by far less than
// one copy of the file per reader (which would be 800 MB).
func TestMediaSlowReaders(t *testing.T) {
	eachDatabase(t, func(t *testing.T, dbURL string) {
		p := newProgram(t, dbURL)
		password := passwordLine.FindStringSubmatch(p.mustRun("", "bootstrap"))[1]
		in := startInstance(t, p)
		const size, readers, bound = 4 << 20, 200, 96 << 20 // whole-file buffering would be 800 MB
		status, url := upload(t, in, login(t, in, password), fakePNG(t, size))
		if status != http.StatusCreated {
			t.Fatalf("upload: %d", status)
		}
		before := heap()
		conns := make([]net.Conn, readers)
		var wg sync.WaitGroup
		for i := range readers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c, err := net.Dial("tcp", strings.TrimPrefix(in.base, "http://"))
				if err != nil {
					t.Error(err)
					return
				}
				conns[i] = c
				_ = c.(*net.TCPConn).SetReadBuffer(4 << 10)
				fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: verdict\r\n\r\n", url)
				_ = c.SetReadDeadline(time.Now().Add(10 * time.Second))
				line, err := bufio.NewReaderSize(c, 1024).ReadString('\n')
				if err != nil || !strings.Contains(line, "200") {
					t.Errorf("slow reader %d: %q %v", i, line, err)
				}
			}()
		}
		wg.Wait() // every reader has its first bytes and reads no more
		time.Sleep(200 * time.Millisecond)
		during := heap()
		for _, c := range conns {
			if c != nil {
				c.Close()
			}
		}
		t.Logf("%d slow readers of a %d MB file: heap %d MB before, %d MB during", readers, size>>20, before>>20, during>>20)
		if during > before+bound {
			t.Fatalf("heap grew by %d MB with %d slow readers, over the %d MB bound", (during-before)>>20, readers, bound>>20)
		}
	})
}

// heap is the live heap after a collection, in bytes.
func heap() int64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.HeapAlloc)
}
