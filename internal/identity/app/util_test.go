package app_test

import (
	"encoding/json"
	"net/http"
	"os"

	"github.com/shipshape-dev/shipshape/internal/platform/auth"
)

func jsonDecode(resp *http.Response, v any) error { return json.NewDecoder(resp.Body).Decode(v) }

func loadSigner(file string) (*auth.Signer, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	key, err := auth.ParseKeyPEM(data)
	if err != nil {
		return nil, err
	}
	return auth.NewSigner(key)
}
