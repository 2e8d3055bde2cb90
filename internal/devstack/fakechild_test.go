package devstack

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// fakeChildEnv makes the test binary act as a service binary: the run tests
// symlink it as <bin>/<name>, so the supervisor is tested without real
// services.
const fakeChildEnv = "DEVSTACK_FAKE_CHILD"

func TestMain(m *testing.M) {
	if os.Getenv(fakeChildEnv) == "1" && len(os.Args) > 1 {
		os.Exit(fakeChild(filepath.Base(os.Args[0]), os.Args[1]))
	}
	os.Exit(m.Run())
}

// fakeChild behaves by service name: "crashy" dies at once in serve,
// "stubborn" ignores SIGTERM, "badmigrate" fails its migration; as "node"
// running a start.js it is the storefront.
func fakeChild(name, cmd string) int {
	ctx := context.Background()
	if name == "node" && filepath.Base(cmd) == "start.js" {
		return fakeWeb()
	}
	switch cmd {
	case "migrate", "seed":
		if name == "badmigrate" {
			fmt.Println("relation missing")
			return 1
		}
		if err := fakeMigrate(ctx, name, cmd); err != nil {
			fmt.Println(err)
			return 1
		}
		return 0
	case "serve":
		return fakeServe(name)
	}
	fmt.Println("unknown command", cmd)
	return 2
}

// fakeMigrate proves DATABASE_URL reaches the service's own database as its
// own role, and records each step so data kept across runs is visible.
func fakeMigrate(ctx context.Context, name, step string) error {
	conn, err := pgx.Connect(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		return err
	}
	defer conn.Close(ctx)
	var user, db string
	if err := conn.QueryRow(ctx, "SELECT current_user, current_database()").Scan(&user, &db); err != nil {
		return err
	}
	if user != name || db != name {
		return fmt.Errorf("connected as %s to %s", user, db)
	}
	if _, err := conn.Exec(ctx, "CREATE TABLE IF NOT EXISTS steps (step text)"); err != nil {
		return err
	}
	var n int
	if err := conn.QueryRow(ctx, "SELECT count(*) FROM steps").Scan(&n); err != nil {
		return err
	}
	fmt.Printf("%s: rows before: %d\n", step, n)
	_, err = conn.Exec(ctx, "INSERT INTO steps VALUES ($1)", step)
	return err
}

func fakeServe(name string) int {
	if name == "crashy" {
		// Crash only once the services it "calls" listen (they do so after
		// installing their SIGTERM handler), so the test can rely on them
		// stopping gracefully rather than racing their start-up.
		waitForCalledServices()
		fmt.Println("crashing")
		return 3
	}
	term := make(chan os.Signal, 1)
	if name == "stubborn" {
		signal.Ignore(syscall.SIGTERM)
	} else {
		signal.Notify(term, syscall.SIGTERM)
	}
	l, err := net.Listen("tcp", os.Getenv("ADMIN_ADDR"))
	if err != nil {
		fmt.Println(err)
		return 1
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/readyz", func(http.ResponseWriter, *http.Request) {})
	go http.Serve(l, mux)
	if g, err := net.Listen("tcp", os.Getenv("GRPC_ADDR")); err == nil {
		go http.Serve(g, http.NotFoundHandler())
	}
	fmt.Println("serving on", l.Addr())
	<-term
	fmt.Print("bye (unterminated line)")
	return 0
}

// fakeWeb is the storefront: it reports the settings devstack gave it and
// answers /readyz on HOSTNAME:PORT until SIGTERM.
func fakeWeb() int {
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	l, err := net.Listen("tcp", net.JoinHostPort(os.Getenv("HOSTNAME"), os.Getenv("PORT")))
	if err != nil {
		fmt.Println(err)
		return 1
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/readyz", func(http.ResponseWriter, *http.Request) {})
	go http.Serve(l, mux)
	fmt.Printf("storefront on %s using %s, secure cookies %s\n", l.Addr(), os.Getenv("API_URL"), os.Getenv("COOKIE_SECURE"))
	<-term
	fmt.Println("storefront stopped")
	return 0
}

// waitForCalledServices waits (up to 10 s) until every <NAME>_GRPC_TARGET in
// the environment accepts connections.
func waitForCalledServices() {
	deadline := time.Now().Add(10 * time.Second)
	for _, kv := range os.Environ() {
		k, target, _ := strings.Cut(kv, "=")
		if !strings.HasSuffix(k, "_GRPC_TARGET") {
			continue
		}
		for time.Now().Before(deadline) {
			if c, err := net.DialTimeout("tcp", target, time.Second); err == nil {
				c.Close()
				break
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}
