package clustertest

import (
	"errors"
	"net"
	"net/http"
	"net/http/cgi"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// gitHTTPBackend is git's smart-HTTP server program (Debian's git package),
// run as CGI: the protocol a git host speaks to the GitOps controllers.
const gitHTTPBackend = "/usr/lib/git-core/git-http-backend"

// GitServer serves one bare repository over git's smart HTTP protocol
// for reading (clone, fetch), as a git host serves an environment's
// repository to Flux; the test commits in its own work tree and pushes
// there by path.
type GitServer struct {
	// URL is the repository's clone URL.
	URL string
	// Work is a clone to commit in; Push publishes its branch main.
	Work string
	bare string
}

// StartGitServer serves a new, empty repository on addr (the node
// address, which the cluster's egress policies name, and a port) until
// the test ends.
func StartGitServer(t testing.TB, addr string) *GitServer {
	t.Helper()
	root := t.TempDir()
	g := &GitServer{bare: filepath.Join(root, "shipshape.git"), Work: t.TempDir()}
	g.git(t, root, "init", "--quiet", "--bare", "--initial-branch=main", g.bare)
	g.git(t, g.Work, "init", "--quiet", "--initial-branch=main")
	for _, kv := range [][2]string{{"user.name", "shipshape test"}, {"user.email", "test@shipshape.invalid"}} {
		g.git(t, g.Work, "config", kv[0], kv[1])
	}
	backend := &cgi.Handler{Path: gitHTTPBackend, Root: "/",
		Env: []string{"GIT_PROJECT_ROOT=" + root, "GIT_HTTP_EXPORT_ALL=1"}}
	// read only: fetching is all a GitOps controller does
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "git-receive-pack") || r.URL.Query().Get("service") == "git-receive-pack" {
			http.Error(w, "this server is read-only", http.StatusForbidden)
			return
		}
		backend.ServeHTTP(w, r)
	})
	l, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("git server on %s: %v", addr, err)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("git server: %v", err)
		}
	}()
	t.Cleanup(func() { _ = srv.Close() })
	g.URL = "http://" + addr + "/shipshape.git"
	return g
}

// Commit writes files (path -> content; "" deletes) into the work tree and
// commits them with message; it returns the commit's hash.
func (g *GitServer) Commit(t testing.TB, message string, files map[string]string) string {
	t.Helper()
	for path, content := range files {
		p := filepath.Join(g.Work, filepath.FromSlash(path))
		if content == "" {
			if err := os.Remove(p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g.git(t, g.Work, "add", "--all")
	g.git(t, g.Work, "commit", "--quiet", "--message", message)
	return g.Head(t)
}

// Revert commits the reversal of commit, as an operator's `git revert`.
func (g *GitServer) Revert(t testing.TB, commit string) string {
	t.Helper()
	g.git(t, g.Work, "revert", "--no-edit", commit)
	return g.Head(t)
}

// Head is the work tree's last commit.
func (g *GitServer) Head(t testing.TB) string {
	t.Helper()
	return strings.TrimSpace(g.git(t, g.Work, "rev-parse", "HEAD"))
}

// Push publishes the work tree's main to the served repository.
func (g *GitServer) Push(t testing.TB) {
	t.Helper()
	g.git(t, g.Work, "push", "--quiet", "--force", g.bare, "main")
}

func (g *GitServer) git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	out, err := isolatedGit(dir, args...)
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// isolatedGit runs git in dir with the test's own identity and settings,
// not the machine's.
func isolatedGit(dir string, args ...string) (string, error) {
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}
