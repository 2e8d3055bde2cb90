package dbha_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"time"
)

// Patroni's REST API, as a load balancer or an operator sees it.

var restClient = &http.Client{Timeout: 2 * time.Second}

func (m *member) restGet(path string) (int, []byte, error) {
	resp, err := restClient.Get(fmt.Sprintf("http://127.0.0.1:%d%s", m.apiPort, path))
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, body, err
}

// isLeader is GET /leader: 200 only on the member holding the leader lock.
func (m *member) isLeader() bool {
	code, _, err := m.restGet("/leader")
	return err == nil && code == http.StatusOK
}

// clusterView is GET /cluster: every member as the DCS knows it.
type clusterView struct {
	Members []struct {
		Name     string `json:"name"`
		Role     string `json:"role"` // leader, sync_standby, replica
		State    string `json:"state"`
		Timeline int    `json:"timeline"`
	} `json:"members"`
}

func (m *member) clusterView() (clusterView, error) {
	var v clusterView
	code, body, err := m.restGet("/cluster")
	if err != nil {
		return v, err
	}
	if code != http.StatusOK {
		return v, fmt.Errorf("GET /cluster on %s: %d %s", m.name, code, body)
	}
	return v, json.Unmarshal(body, &v)
}
