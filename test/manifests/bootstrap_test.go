package manifests

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/platform/pglocal"
)

// pgSandbox runs the postgres StatefulSet's bootstrap.sh and server
// configuration against real PostgreSQL binaries, in a temporary
// directory standing in for the container's paths.
type pgSandbox struct {
	t                             *testing.T
	bin, dir, data, run, pw, conf string
	// script is a copy of bootstrap.sh inside dir: the checkout itself
	// may not be readable by the postgres user (a 0700 clone directory).
	script string
	port   int
	cred   *syscall.Credential
}

func newPGSandbox(t *testing.T) *pgSandbox {
	bin, err := pglocal.FindBinDir()
	if err != nil {
		t.Skip(err)
	}
	// Peer authentication, as in the container, needs the OS user to be
	// postgres: run the server as that user, which needs root.
	if os.Geteuid() != 0 {
		t.Skip("the bootstrap test runs PostgreSQL as the OS user postgres and needs root for that")
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		t.Skip("no postgres OS user: ", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	tb := box(t)
	dir, err := os.MkdirTemp("", "bootstrap-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	s := &pgSandbox{t: t, bin: bin, dir: dir, data: filepath.Join(dir, "data", "pgdata"), run: filepath.Join(dir, "run"),
		pw: filepath.Join(dir, "passwords"), conf: filepath.Join(dir, "etc"), port: freePort(t),
		cred: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	for _, d := range []string{filepath.Dir(s.data), s.run, s.pw, s.conf} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// The committed configuration with the container's paths replaced.
	base := tb.Path("deploy", "kubernetes", "base", "postgres")
	conf, err := os.ReadFile(filepath.Join(base, "postgresql.conf"))
	if err != nil {
		t.Fatal(err)
	}
	text := strings.NewReplacer(
		"/var/lib/postgresql/data/pgdata", s.data,
		"/etc/postgresql", s.conf,
		"/var/run/postgresql", s.run,
		"listen_addresses = '*'", "listen_addresses = '127.0.0.1'",
		"port = 5432", fmt.Sprintf("port = %d", s.port),
	).Replace(string(conf))
	if !strings.Contains(text, s.data) || !strings.Contains(text, fmt.Sprint(s.port)) {
		t.Fatal("postgresql.conf no longer has the paths this test replaces")
	}
	s.write(filepath.Join(s.conf, "postgresql.conf"), text)
	for _, f := range []string{filepath.Join(base, "pg_hba.conf"),
		tb.Path("deploy", "kubernetes", "overlays", "development", "tuning.conf")} {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		s.write(filepath.Join(s.conf, filepath.Base(f)), string(data))
	}
	script, err := os.ReadFile(filepath.Join(base, "bootstrap.sh"))
	if err != nil {
		t.Fatal(err)
	}
	s.script = filepath.Join(dir, "bootstrap.sh")
	s.write(s.script, string(script))
	if err := filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chown(p, uid, gid)
	}); err != nil {
		t.Fatal(err)
	}
	return s
}

func (s *pgSandbox) write(path, content string) {
	s.t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o640); err != nil {
		s.t.Fatal(err)
	}
	if s.cred != nil {
		os.Chown(path, int(s.cred.Uid), int(s.cred.Gid))
	}
}

func (s *pgSandbox) command(name string, args ...string) *exec.Cmd {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: s.cred, Setpgid: true}
	cmd.Dir = s.dir
	cmd.Env = append(os.Environ(), "PGDATA="+s.data, "PG_BINDIR="+s.bin, "PG_CONFIG_FILE="+filepath.Join(s.conf, "postgresql.conf"),
		"PG_SOCKET_DIR="+s.run, "PG_PASSWORDS_DIR="+s.pw, fmt.Sprintf("PGPORT=%d", s.port), "LC_ALL=C.UTF-8")
	return cmd
}

// bootstrap runs bootstrap.sh as the init container would.
func (s *pgSandbox) bootstrap() (string, error) {
	cmd := s.command("/bin/bash", s.script)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// serve starts the server as the container would and returns a stop func.
func (s *pgSandbox) serve() func() {
	s.t.Helper()
	cmd := s.command(filepath.Join(s.bin, "postgres"), "-c", "config_file="+filepath.Join(s.conf, "postgresql.conf"))
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		s.t.Fatal(err)
	}
	stop := func() {
		cmd.Process.Signal(syscall.SIGINT) // fast shutdown, as preStop asks
		cmd.Wait()
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", s.port), time.Second)
		if err == nil {
			c.Close()
			break
		}
		if time.Now().After(deadline) {
			stop()
			s.t.Fatalf("postgres did not listen: %s", log.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return stop
}

// connect opens a session as role on database with password, over TCP
// like the services.
func (s *pgSandbox) connect(role, database, password string) error {
	cfg, err := pgx.ParseConfig(fmt.Sprintf("postgres://%s@127.0.0.1:%d/%s?sslmode=disable&connect_timeout=5", role, s.port, database))
	if err != nil {
		return err
	}
	cfg.Password = password
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var conn *pgx.Conn
	for range 50 { // the server may still be finishing its start-up
		conn, err = pgx.ConnectConfig(ctx, cfg)
		if err == nil || !strings.Contains(err.Error(), "starting up") {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var who string
	if err := conn.QueryRow(ctx, "SELECT current_user").Scan(&who); err != nil {
		return err
	}
	if who != role {
		return fmt.Errorf("connected as %s, not %s", who, role)
	}
	_, err = conn.Exec(ctx, "CREATE TABLE IF NOT EXISTS owned (id int)")
	return err
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestPostgresBootstrap: the first start creates one role and database per
// password file; each service's role reaches its own database only, with
// its password only; the superuser is unreachable over the network; a
// second start changes nothing but a rotated password.
func TestPostgresBootstrap(t *testing.T) {
	s := newPGSandbox(t)
	catalogPW, identityPW := `it's a "quoted" p@ss:word;`, "identity-secret"
	s.write(filepath.Join(s.pw, "catalog"), catalogPW)
	s.write(filepath.Join(s.pw, "identity"), identityPW)

	out, err := s.bootstrap()
	if err != nil {
		t.Fatalf("bootstrap: %v\n%s", err, out)
	}
	for _, want := range []string{"creating the cluster", `role and database "catalog" ready`, `role and database "identity" ready`} {
		if !strings.Contains(out, want) {
			t.Errorf("bootstrap output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, catalogPW) || strings.Contains(out, identityPW) {
		t.Errorf("a password appears in the output:\n%s", out)
	}

	stop := s.serve()
	if err := s.connect("catalog", "catalog", catalogPW); err != nil {
		t.Errorf("catalog to its database: %v", err)
	}
	if err := s.connect("identity", "identity", identityPW); err != nil {
		t.Errorf("identity to its database: %v", err)
	}
	for _, c := range []struct{ role, db, pw, why string }{
		{"catalog", "identity", catalogPW, "another service's database"},
		{"catalog", "catalog", identityPW, "a wrong password"},
		{"postgres", "postgres", "", "the superuser over the network"},
	} {
		if err := s.connect(c.role, c.db, c.pw); err == nil {
			t.Errorf("%s reached %s with %s", c.role, c.db, c.why)
		}
	}
	stop()

	// The next start: the cluster exists, a rotated password takes effect.
	rotated := "rotated-catalog-secret"
	s.write(filepath.Join(s.pw, "catalog"), rotated)
	out, err = s.bootstrap()
	if err != nil {
		t.Fatalf("second bootstrap: %v\n%s", err, out)
	}
	if strings.Contains(out, "creating the cluster") {
		t.Errorf("second start re-created the cluster:\n%s", out)
	}
	stop = s.serve()
	defer stop()
	if err := s.connect("catalog", "catalog", rotated); err != nil {
		t.Errorf("rotated password refused: %v", err)
	}
	if err := s.connect("catalog", "catalog", catalogPW); err == nil {
		t.Error("the old password still works after rotation")
	}
}

// TestPostgresBootstrapRefusesOddRoleNames: a password file whose name is
// not a plain role name stops the bootstrap (it becomes an identifier).
func TestPostgresBootstrapRefusesOddRoleNames(t *testing.T) {
	s := newPGSandbox(t)
	s.write(filepath.Join(s.pw, "Robert'); DROP"), "x")
	out, err := s.bootstrap()
	var exit *exec.ExitError
	if !errors.As(err, &exit) || !strings.Contains(out, "refusing role name") {
		t.Fatalf("want a refusal, got %v:\n%s", err, out)
	}
}
