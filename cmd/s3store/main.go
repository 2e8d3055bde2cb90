// Command s3store is the test cluster's S3: an S3-compatible object store
// (gofakes3, its objects in memory for the cluster's lifetime) served over TLS on the node's
// address, where the cloud's S3 would be, which cannot run here. The
// PostgreSQL members keep their pgBackRest repository in it the way
// staging and production keep theirs in S3 (test/cluster/overlay). It
// checks no request signature: test infrastructure, never deployed.
//
//	s3store -addr HOST:PORT -bucket NAME -cert C -key K
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	var c config
	flag.StringVar(&c.addr, "addr", "127.0.0.1:9000", "host:port to listen on")
	flag.StringVar(&c.bucket, "bucket", "", "a bucket to create if it does not exist")
	flag.StringVar(&c.cert, "cert", "", "server certificate (PEM)")
	flag.StringVar(&c.key, "key", "", "server key (PEM)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if err := serve(ctx, c, nil); err != nil {
		fmt.Fprintln(os.Stderr, "s3store:", err)
		os.Exit(1)
	}
}
