// Package gosecmod breaks two gosec rules on purpose.
package gosecmod

import (
	"crypto/md5"
	"crypto/tls"
	"net/http"
)

// Client trusts any certificate: gosec G402.
func Client() *http.Client {
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
}

// Digest uses a broken hash: gosec G401.
func Digest(b []byte) [16]byte {
	return md5.Sum(b)
}
