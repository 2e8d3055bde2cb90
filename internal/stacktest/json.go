package stacktest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

func decodeJSON(t testing.TB, what string, resp *http.Response) map[string]any {
	t.Helper()
	raw, _ := io.ReadAll(resp.Body)
	if len(raw) == 0 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		return nil
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("%s: invalid JSON %q: %v", what, raw, err)
	}
	return out
}

// Field returns the first "fields[].field" of an error body, or "".
func Field(body map[string]any) string {
	fields, _ := body["fields"].([]any)
	if len(fields) == 0 {
		return ""
	}
	f, _ := fields[0].(map[string]any)
	s, _ := f["field"].(string)
	return s
}
