package faulttest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// Binary builds cmd/verdict once per test binary and returns its path. It
// lives in a directory named after this process, and directories left by
// test binaries that have exited are removed on the next build.
func Binary(t testing.TB) string {
	t.Helper()
	buildOnce.Do(func() {
		_, file, _, _ := runtime.Caller(0)
		root := filepath.Join(filepath.Dir(file), "..", "..")
		sweep()
		dir := filepath.Join(os.TempDir(), fmt.Sprintf("verdict-faulttest-%d", os.Getpid()))
		if buildErr = os.MkdirAll(dir, 0o750); buildErr != nil {
			return
		}
		binPath = filepath.Join(dir, "verdict")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, "go", "build", "-o", binPath, "./cmd/verdict")
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build ./cmd/verdict: %w\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatalf("faulttest: %v", buildErr)
	}
	return binPath
}

// sweep removes the binaries of test processes that no longer run.
func sweep() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), "verdict-faulttest-*"))
	for _, d := range dirs {
		pid, err := strconv.Atoi(strings.TrimPrefix(filepath.Base(d), "verdict-faulttest-"))
		if err != nil || pid == os.Getpid() {
			continue
		}
		if err := syscall.Kill(pid, 0); err == nil || errors.Is(err, syscall.EPERM) {
			continue // still running
		}
		_ = os.RemoveAll(d)
	}
}

// command is the verdict binary with env on top of this process's
// environment, minus any VERDICT_ variable of its own.
func command(t testing.TB, env map[string]string, args ...string) *exec.Cmd {
	cmd := exec.Command(Binary(t), args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "VERDICT_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

// Run runs a one-off verdict command (e.g. bootstrap) and returns its
// standard output, failing the test if it fails.
func Run(t testing.TB, env map[string]string, args ...string) string {
	t.Helper()
	cmd := command(t, env, args...)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("verdict %s: %v\n%s", strings.Join(args, " "), err, errOut.String())
	}
	return out.String()
}

// Process is a running `verdict serve`.
type Process struct {
	URL  string // http://127.0.0.1:port
	t    testing.TB
	cmd  *exec.Cmd
	logs *logBuffer
	done chan struct{}
	err  error // the exit status, once done is closed
}

// Start runs `verdict serve` with env on a free loopback port and waits
// until /readyz answers 200. The process is killed when the test ends, and
// its logs are printed if the test failed.
func Start(t testing.TB, env map[string]string) *Process {
	t.Helper()
	addr := freeAddr(t)
	all := map[string]string{"VERDICT_ADDR": addr}
	for k, v := range env {
		all[k] = v
	}
	p := &Process{URL: "http://" + addr, t: t, cmd: command(t, all, "serve"), logs: &logBuffer{}, done: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("faulttest: start verdict serve: %v", err)
	}
	go func() {
		p.err = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() {
		p.Kill()
		if t.Failed() {
			t.Logf("logs of verdict serve on %s:\n%s", addr, p.Logs())
		}
	})
	p.waitReady(15 * time.Second)
	return p
}

func (p *Process) waitReady(timeout time.Duration) {
	p.t.Helper()
	client := &http.Client{Timeout: time.Second}
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-p.done:
			p.t.Fatalf("faulttest: verdict serve exited before it was ready (%v):\n%s", p.err, p.Logs())
		default:
		}
		if res, err := client.Get(p.URL + "/readyz"); err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	p.t.Fatalf("faulttest: %s/readyz not ready within %v:\n%s", p.URL, timeout, p.Logs())
}

// Term sends SIGTERM: the process shuts down gracefully.
func (p *Process) Term() { p.signal(syscall.SIGTERM) }

// Kill sends SIGKILL (kill -9) and waits for the process to be gone.
func (p *Process) Kill() {
	p.signal(syscall.SIGKILL)
	<-p.done
}

func (p *Process) signal(s syscall.Signal) {
	select {
	case <-p.done:
	default:
		_ = p.cmd.Process.Signal(s)
	}
}

// Wait waits up to timeout for the process to exit and returns its exit
// error (nil for status 0), failing the test if it is still running.
func (p *Process) Wait(timeout time.Duration) error {
	p.t.Helper()
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		p.t.Fatalf("faulttest: verdict serve on %s still running after %v", p.URL, timeout)
		return nil
	}
}

// Logs is everything the process has written so far.
func (p *Process) Logs() string { return p.logs.String() }

func freeAddr(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// logBuffer collects a process's output; the process writes it from
// another goroutine.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
