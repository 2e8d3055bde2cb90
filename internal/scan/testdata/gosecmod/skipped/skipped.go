// Package skipped is excluded by the test: its violation must not be reported.
package skipped

import "crypto/md5"

// Digest uses a broken hash: gosec G401, in an excluded directory.
func Digest(b []byte) [16]byte { return md5.Sum(b) }
