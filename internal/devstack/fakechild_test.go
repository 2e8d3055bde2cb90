package devstack

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"testing"

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
// "stubborn" ignores SIGTERM, "badmigrate" fails its migration.
func fakeChild(name, cmd string) int {
	ctx := context.Background()
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
	fmt.Println("serving on", l.Addr())
	<-term
	fmt.Print("bye (unterminated line)")
	return 0
}
