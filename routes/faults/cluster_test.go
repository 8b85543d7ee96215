package faults_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// cluster is a disposable PostgreSQL cluster: its own data folder and port,
// its postmaster started and killed by the test.
type cluster struct {
	t       *testing.T
	bin     string // the folder holding initdb and postgres
	dir     string // data folder and socket, owned by the user the server runs as
	port    int
	account *syscall.Credential // nil unless the test runs as root
	cmd     *exec.Cmd
	exited  chan struct{}
	output  *bytes.Buffer
}

// postgresBinaries finds the folder holding both initdb and postgres: on
// PATH, in Debian's /usr/lib/postgresql/<version>/bin (newest first) or in
// /usr/local/bin.
func postgresBinaries() (string, bool) {
	var dirs []string
	if p, err := exec.LookPath("initdb"); err == nil {
		dirs = append(dirs, filepath.Dir(p))
	}
	debian, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	sort.Slice(debian, func(i, j int) bool { return versionOf(debian[i]) > versionOf(debian[j]) })
	dirs = append(dirs, debian...)
	dirs = append(dirs, "/usr/local/bin")
	for _, d := range dirs {
		if executable(filepath.Join(d, "initdb")) && executable(filepath.Join(d, "postgres")) {
			return d, true
		}
	}
	return "", false
}

func versionOf(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func executable(path string) bool {
	info, err := os.Stat(path)
	return err == nil && !info.IsDir() && info.Mode()&0o111 != 0
}

// newCluster runs initdb in a fresh folder. initdb and postgres refuse to
// run as root, so as root they run as the postgres account. Without the
// binaries the test is skipped, saying so; with REQUIRE_TOOLS=1 (as in CI)
// it fails instead.
func newCluster(t *testing.T) *cluster {
	t.Helper()
	bin, ok := postgresBinaries()
	if !ok {
		msg := "initdb and postgres not found on PATH, in /usr/lib/postgresql/*/bin or /usr/local/bin (install the Debian package postgresql)"
		if os.Getenv("REQUIRE_TOOLS") == "1" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	c := &cluster{t: t, bin: bin, port: freePort(t)}
	dir, err := os.MkdirTemp("", "courseportal-pg-")
	if err != nil {
		t.Fatal(err)
	}
	c.dir = dir
	t.Cleanup(func() { _ = os.RemoveAll(dir) })
	t.Cleanup(c.stop) // before the folder goes
	if os.Geteuid() == 0 {
		c.account = postgresAccount(t)
		if err := os.Chown(dir, int(c.account.Uid), int(c.account.Gid)); err != nil {
			t.Fatal(err)
		}
	}
	initdb := c.command("initdb", "-D", c.dataDir(), "-U", "postgres", "-A", "trust", "-E", "UTF8",
		"--locale=C", "--no-sync", "--no-instructions")
	if out, err := initdb.CombinedOutput(); err != nil {
		t.Fatalf("initdb: %v\n%s", err, out)
	}
	return c
}

// postgresAccount is the postgres user the server runs as under root.
func postgresAccount(t *testing.T) *syscall.Credential {
	t.Helper()
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Fatalf("running as root, and there is no postgres account to run initdb as: %v", err)
	}
	uid, err1 := strconv.ParseUint(u.Uid, 10, 32)
	gid, err2 := strconv.ParseUint(u.Gid, 10, 32)
	if err := errors.Join(err1, err2); err != nil {
		t.Fatal(err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		t.Fatal(err)
	}
	return port
}

func (c *cluster) dataDir() string { return filepath.Join(c.dir, "data") }

// command is one of the cluster's programs, run as its account, in its own
// process group so that a signal to the test never reaches it.
func (c *cluster) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(c.bin, name), args...)
	cmd.Dir = c.dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Credential: c.account}
	return cmd
}

// URL is the DATABASE_URL of the cluster's postgres database.
func (c *cluster) URL() string {
	return fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable&connect_timeout=3", c.port)
}

// start runs the postmaster and waits until it accepts connections. A
// server killed a moment ago may leave backends behind for a short while,
// and the new one refuses to start beside them, so start tries again.
func (c *cluster) start() {
	c.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := c.startOnce()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("postgres did not start: %v\n%s", err, c.output)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (c *cluster) startOnce() error {
	// fsync is off: the test kills the process, not the machine, and the
	// kernel keeps whatever the server wrote before it died.
	cmd := c.command("postgres", "-D", c.dataDir(), "-p", strconv.Itoa(c.port), "-k", c.dir,
		"-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "max_connections=60",
		"-c", "shared_buffers=16MB")
	c.output = &bytes.Buffer{}
	cmd.Stdout, cmd.Stderr = c.output, c.output
	if err := cmd.Start(); err != nil {
		return err
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	c.cmd, c.exited = cmd, exited
	for range 200 {
		select {
		case <-exited:
			return errors.New("postgres exited while starting")
		default:
		}
		if c.accepting() {
			return nil
		}
		time.Sleep(50 * time.Millisecond)
	}
	c.stop()
	return errors.New("postgres did not accept connections within 10 s")
}

// accepting reports whether the server lets a client in: past crash
// recovery, not merely listening.
func (c *cluster) accepting() bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	conn, err := pgconn.Connect(ctx, c.URL())
	if err != nil {
		return false
	}
	_ = conn.Close(ctx)
	return true
}

// kill ends the postmaster with SIGKILL, as a crash would, and waits for it.
func (c *cluster) kill() {
	c.t.Helper()
	if err := c.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		c.t.Fatalf("kill postgres: %v", err)
	}
	<-c.exited
}

// stop shuts a running postmaster down fast (SIGINT), killing it if it
// lingers.
func (c *cluster) stop() {
	if c.cmd == nil {
		return
	}
	select {
	case <-c.exited:
		return
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		_ = c.cmd.Process.Signal(syscall.SIGKILL)
		<-c.exited
	}
}
