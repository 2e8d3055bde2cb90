// Command pause is the test cluster's pod sandbox process (containerd's
// sandbox_image): it holds the pod's namespaces, reaps orphaned children and
// exits on SIGINT or SIGTERM. Ours, because no registry serves the usual one.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	children := make(chan os.Signal, 16)
	signal.Notify(children, syscall.SIGCHLD)
	serve(stop, children)
}

// serve reaps exited children on every SIGCHLD until stop fires.
func serve(stop, children <-chan os.Signal) {
	for {
		select {
		case <-stop:
			return
		case <-children:
			reap()
		}
	}
}

// reap collects every exited child without blocking.
func reap() {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}
