package devstack

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// waitReady polls every service's /readyz until each answers 200; it
// returns an error naming the services that did not within timeout.
func waitReady(ctx context.Context, services []Service, timeout time.Duration, out *Output) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	errs := make([]error, len(services))
	var wg sync.WaitGroup
	for i, s := range services {
		wg.Go(func() {
			if err := pollReady(ctx, client, "http://"+s.AdminAddr()+"/readyz"); err != nil {
				errs[i] = fmt.Errorf("%s not ready after %v: %w", s.Name, timeout, err)
				return
			}
			out.Printf(s.Name, "ready")
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// waitURL polls one URL until it answers 200, e.g. the gateway's health.
func waitURL(ctx context.Context, name, url string, timeout time.Duration, out *Output) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := pollReady(ctx, &http.Client{Timeout: time.Second}, url); err != nil {
		return fmt.Errorf("%s not ready after %v: %w", name, timeout, err)
	}
	out.Printf(name, "ready")
	return nil
}

func pollReady(ctx context.Context, client *http.Client, url string) error {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	last := errors.New("no answer yet")
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
			last = fmt.Errorf("%s answered %s", url, resp.Status)
		} else if ctx.Err() == nil {
			last = err
		}
		select {
		case <-ctx.Done():
			return last
		case <-tick.C:
		}
	}
}
