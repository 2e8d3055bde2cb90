package dbha_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"testing"
	"time"
)

// etcd is a single-member etcd on loopback: Patroni's DCS, holding the
// leader lock whose expiry (the TTL) starts a failover.
type etcd struct {
	endpoint string // host:port for clients
	proc     *proc
}

func startEtcd(t testing.TB, tl tools, dir string, clientPort, peerPort int) *etcd {
	t.Helper()
	client := fmt.Sprintf("http://127.0.0.1:%d", clientPort)
	peer := fmt.Sprintf("http://127.0.0.1:%d", peerPort)
	e := &etcd{endpoint: fmt.Sprintf("127.0.0.1:%d", clientPort)}
	e.proc = startProc(t, procSpec{
		name: "etcd",
		argv: []string{tl.etcd,
			"--name=dbha",
			"--data-dir=" + filepath.Join(dir, "etcd"),
			"--listen-client-urls=" + client, "--advertise-client-urls=" + client,
			"--listen-peer-urls=" + peer, "--initial-advertise-peer-urls=" + peer,
			"--initial-cluster=dbha=" + peer, "--initial-cluster-state=new",
			"--logger=zap", "--log-outputs=stderr",
		},
		dir: dir,
		// Only what etcd needs: ETCD_* variables from the caller would
		// override the flags.
		env:     []string{"PATH=/usr/bin:/bin", "HOME=" + dir},
		logPath: filepath.Join(dir, "etcd.log"),
	})
	waitFor(t, 30*time.Second, "etcd healthy", func() error {
		if !e.proc.running() {
			return giveUp{fmt.Errorf("etcd exited; see %s", e.proc.logPath)}
		}
		return etcdHealthy(client)
	})
	return e
}

func etcdHealthy(url string) error {
	c := http.Client{Timeout: 2 * time.Second}
	resp, err := c.Get(url + "/health")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var h struct {
		Health string `json:"health"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK || h.Health != "true" {
		return fmt.Errorf("health %d %q", resp.StatusCode, h.Health)
	}
	return nil
}
