package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// server is the portal running as a child process, so that its memory is
// measured apart from the load generator's.
type server struct {
	cmd        *exec.Cmd
	base       string // http://127.0.0.1:PORT
	counterURL string
	logPath    string
	logFile    *os.File
	done       chan struct{}
	waitErr    error
	rss        *rssSampler
}

// startServer runs `EXECUTABLE bench serve` on a free loopback port against the
// scratch database and waits until /readyz answers 200. It returns the
// start-up time: from spawning the process to the first ready answer.
func startServer(ctx context.Context, o Options, databaseURL, tmp string) (*server, time.Duration, error) {
	exe, args := o.Executable, o.ServerArgs
	if exe == "" {
		var err error
		if exe, err = os.Executable(); err != nil {
			return nil, 0, fmt.Errorf("bench: unable to find this program to run the server: %w", err)
		}
		args = []string{"bench", "serve"}
	}
	port, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	counterPort, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	s := &server{base: "http://127.0.0.1:" + strconv.Itoa(port),
		counterURL: "http://127.0.0.1:" + strconv.Itoa(counterPort) + "/", done: make(chan struct{}),
		logPath: o.ServerLog}
	if s.logPath == "" {
		s.logPath = filepath.Join(tmp, "server.log")
	}
	if s.logFile, err = os.Create(s.logPath); err != nil {
		return nil, 0, fmt.Errorf("bench: server log: %w", err)
	}
	s.cmd = exec.Command(exe, args...)
	s.cmd.Env = append(os.Environ(), "PORT="+strconv.Itoa(port), "DATABASE_URL="+databaseURL,
		"BASE_URL="+s.base, "LOG_LEVEL=warn", "LOG_FORMAT=text", "TRUSTED_PROXIES=",
		// Every simulated person comes from this one loopback address.
		"CLIENT_ATTEMPT_LIMIT=0",
		QueryCounterEnv+"=127.0.0.1:"+strconv.Itoa(counterPort))
	s.cmd.Env = append(s.cmd.Env, o.ServerEnv...)
	s.cmd.Stdout, s.cmd.Stderr = s.logFile, s.logFile
	s.cmd.SysProcAttr = childProcAttr()
	started := time.Now()
	if err := s.cmd.Start(); err != nil {
		_ = s.logFile.Close()
		return nil, 0, fmt.Errorf("bench: unable to start the server: %w", err)
	}
	go func() { s.waitErr = s.cmd.Wait(); close(s.done) }()
	s.rss = newRSSSampler(s.cmd.Process.Pid)
	startup, err := s.waitReady(ctx, started)
	if err != nil {
		s.stop()
		return nil, 0, err
	}
	return s, startup, nil
}

// waitReady polls /readyz every few milliseconds for up to a minute.
func (s *server) waitReady(ctx context.Context, started time.Time) (time.Duration, error) {
	client := &http.Client{Timeout: time.Second}
	deadline := started.Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return 0, fmt.Errorf("bench: the server stopped during start-up (%v):\n%s", s.waitErr, s.logTail())
		case <-ctx.Done():
			return 0, ctx.Err()
		default:
		}
		resp, err := client.Get(s.base + "/readyz")
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return time.Since(started), nil
			}
		}
		time.Sleep(2 * time.Millisecond)
	}
	return 0, fmt.Errorf("bench: the server was not ready within a minute:\n%s", s.logTail())
}

// queries reads the server's running count of database statements; ok is
// false when the server does not count them.
func (s *server) queries() (n int64, ok bool) {
	client := &http.Client{Timeout: 2 * time.Second}
	resp, err := client.Get(s.counterURL)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64))
	if err != nil || resp.StatusCode != http.StatusOK {
		return 0, false
	}
	n, err = strconv.ParseInt(strings.TrimSpace(string(body)), 10, 64)
	return n, err == nil
}

// alive reports whether the server process is still running.
func (s *server) alive() bool {
	select {
	case <-s.done:
		return false
	default:
		return true
	}
}

// stop asks the server to shut down (SIGTERM), kills it after fifteen
// seconds, and returns its peak resident memory in bytes, read just before.
func (s *server) stop() (peak int64) {
	s.rss.close()
	peak = s.rss.highWater()
	if s.alive() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(15 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	}
	_ = s.logFile.Close()
	return peak
}

// logTail is the end of the server's log, for error messages.
func (s *server) logTail() string {
	b, err := os.ReadFile(s.logPath)
	if err != nil {
		return "(no server log: " + err.Error() + ")"
	}
	if len(b) > 4000 {
		b = b[len(b)-4000:]
	}
	return string(bytes.TrimSpace(b))
}

// freePort asks the kernel for a free loopback port.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("bench: no free port: %w", err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return 0, fmt.Errorf("bench: unable to free port %d: %w", port, err)
	}
	return port, nil
}

// rssSampler follows a process's resident memory every 20 ms; the window
// methods tell its level at the start and its peak since.
type rssSampler struct {
	pid     int
	mu      sync.Mutex
	current int64
	peak    int64
	hwm     int64
	stopc   chan struct{}
	once    sync.Once
}

func newRSSSampler(pid int) *rssSampler {
	r := &rssSampler{pid: pid, stopc: make(chan struct{})}
	go r.loop()
	return r
}

func (r *rssSampler) loop() {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		r.sample()
		select {
		case <-r.stopc:
			return
		case <-t.C:
		}
	}
}

func (r *rssSampler) sample() {
	rss, hwm, err := readProcMemory(r.pid)
	if err != nil {
		return
	}
	r.mu.Lock()
	r.current, r.peak, r.hwm = rss, max(r.peak, rss), max(r.hwm, hwm)
	r.mu.Unlock()
}

// startWindow samples now and starts a new peak from the current level.
func (r *rssSampler) startWindow() (current int64) {
	r.sample()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.peak = r.current
	return r.current
}

// windowPeak is the highest level sampled since startWindow.
func (r *rssSampler) windowPeak() int64 {
	r.sample()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.peak
}

// highWater is the kernel's peak resident size of the process (VmHWM).
func (r *rssSampler) highWater() int64 {
	r.sample()
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.hwm
}

func (r *rssSampler) close() { r.once.Do(func() { close(r.stopc) }) }
