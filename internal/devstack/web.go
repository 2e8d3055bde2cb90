package devstack

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
)

// WebPort is where `make run` serves the storefront.
const WebPort = 3000

// Web is the storefront: the standalone Next.js server that `make web-build`
// leaves in web/.next/standalone, started with node once the public API is
// ready, since every page it serves calls that API.
type Web struct {
	Dir  string // the standalone directory, holding start.js
	Port int    // 0 means WebPort
	// Node is the node executable; empty means "node" from PATH.
	Node string
}

func (w Web) port() int {
	if w.Port == 0 {
		return WebPort
	}
	return w.Port
}

// ReadyURL answers 200 once the storefront serves and reaches the API.
func (w Web) ReadyURL() string { return "http://" + addr(w.port()) + "/readyz" }

// check finds node and the built storefront before anything starts.
func (w Web) check() (node, start string, err error) {
	node = w.Node
	if node == "" {
		if node, err = exec.LookPath("node"); err != nil {
			return "", "", errors.New("the storefront needs Node.js 20.9 or newer on PATH (node not found)")
		}
	}
	start, err = filepath.Abs(filepath.Join(w.Dir, "start.js"))
	if err != nil {
		return "", "", err
	}
	if _, err := os.Stat(start); errors.Is(err, fs.ErrNotExist) {
		return "", "", fmt.Errorf("storefront not built: %s missing; run make web-build", start)
	} else if err != nil {
		return "", "", err
	}
	return node, start, nil
}

// process is how the storefront runs locally: on loopback, against the
// gateway's public API, with cookies that work over plain http.
func (w Web) process(base []string, logLevel string) (process, error) {
	node, start, err := w.check()
	if err != nil {
		return process{}, err
	}
	env := append(append([]string(nil), base...),
		"PORT="+strconv.Itoa(w.port()),
		"HOSTNAME="+host,
		"API_URL=http://"+addr(GatewayPort)+"/api/v1",
		"COOKIE_SECURE=false",
		"LOG_LEVEL="+logLevel,
		"SHUTDOWN_DRAIN_DELAY=0s",
		"NODE_ENV=production",
		"NEXT_TELEMETRY_DISABLED=1",
	)
	return process{
		name:     "web",
		path:     node,
		args:     []string{start},
		env:      env,
		readyURL: w.ReadyURL(),
		describe: fmt.Sprintf("storefront: http://localhost:%d", w.port()),
	}, nil
}
