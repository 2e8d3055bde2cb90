// Package storefrontsmoke is the storefront's smoke journey: a guest's
// walk through the pages a release must not break (home, a category, a
// product and its image, all products, a search, sign-in), each page
// fetched as a browser fetches it and checked for its status and content.
// It writes nothing (no account, no cart, no order), so it can run against
// production's preview before a switch: the blue-green release's
// pre-promotion analysis runs it as a Job (docs/releases.md).
package storefrontsmoke

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// A Load is one page (or image) the journey fetched.
type Load struct {
	Path     string
	Status   int
	Duration time.Duration
	Err      error // nil when the page was what the journey expects
}

// Journey walks the storefront at Base (e.g. http://web-preview:3000).
type Journey struct {
	Base   string
	Client *http.Client
}

var (
	productLink  = regexp.MustCompile(`href="(/product/[a-z0-9-]+)"`)
	categoryLink = regexp.MustCompile(`href="(/category/[a-z0-9-]+)"`)
	imageSource  = regexp.MustCompile(`src="(/api/v1/images/[^"]+)"`)
)

// maxPage bounds what one page may weigh: a storefront that answers with
// endless bytes fails instead of filling memory.
const maxPage = 4 << 20

// Run walks the journey and returns every load, failed ones included; a
// page the next one depends on (the home page's links) ends the walk
// when it fails.
func (j Journey) Run(ctx context.Context) []Load {
	var loads []Load
	home, l := j.page(ctx, "/")
	loads = append(loads, l)
	if l.Err != nil {
		return loads
	}
	product, category := first(productLink, home), first(categoryLink, home)
	if product == "" || category == "" {
		loads[0].Err = fmt.Errorf("the home page links no product (%q) or no category (%q)", product, category)
		return loads
	}
	_, l = j.page(ctx, category)
	loads = append(loads, l)
	page, l := j.page(ctx, product)
	loads = append(loads, l)
	if l.Err == nil {
		if img := first(imageSource, page); img == "" {
			loads[len(loads)-1].Err = fmt.Errorf("the product page shows no catalog image")
		} else {
			loads = append(loads, j.image(ctx, img))
		}
	}
	word := strings.SplitN(strings.TrimPrefix(product, "/product/"), "-", 2)[0]
	for _, path := range []string{"/products", "/search?q=" + url.QueryEscape(word), "/signin"} {
		_, l = j.page(ctx, path)
		loads = append(loads, l)
	}
	return loads
}

// AwaitReady polls the storefront's readiness (GET /readyz) until it
// answers 200 or within has passed. A preview Service's endpoints, and
// every node's forwarding rules, follow its new pods by a moment: a
// journey started at once would fail on a refused connection to a
// version that is fine.
func (j Journey) AwaitReady(ctx context.Context, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		_, l := j.get(ctx, "/readyz", "text/plain")
		if l.Err == nil {
			return nil
		}
		if !time.Now().Before(deadline) {
			return fmt.Errorf("the storefront at %s was not ready within %s: %v", j.Base, within, l.Err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// Failed counts the loads that failed.
func Failed(loads []Load) int {
	n := 0
	for _, l := range loads {
		if l.Err != nil {
			n++
		}
	}
	return n
}

func first(re *regexp.Regexp, s string) string {
	if m := re.FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// page fetches an HTML page: 200, text/html, a document with a heading.
func (j Journey) page(ctx context.Context, path string) (string, Load) {
	body, l := j.get(ctx, path, "text/html")
	if l.Err == nil && !strings.Contains(body, "<h1") {
		l.Err = fmt.Errorf("the page has no heading (%d bytes)", len(body))
	}
	return body, l
}

// image fetches a catalog image through the storefront's image route.
func (j Journey) image(ctx context.Context, path string) Load {
	_, l := j.get(ctx, path, "image/")
	return l
}

func (j Journey) get(ctx context.Context, path, wantType string) (string, Load) {
	l := Load{Path: path}
	began := time.Now()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(j.Base, "/")+path, nil)
	if err != nil {
		l.Err = err
		return "", l
	}
	req.Header.Set("User-Agent", "shipshape-storefront-smoke")
	accept := wantType // "text/html", or "image/" for any image
	if strings.HasSuffix(accept, "/") {
		accept += "*"
	}
	req.Header.Set("Accept", accept)
	resp, err := j.Client.Do(req)
	if err != nil {
		l.Err = err
		l.Duration = time.Since(began)
		return "", l
	}
	defer resp.Body.Close()
	l.Status = resp.StatusCode
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxPage+1))
	l.Duration = time.Since(began)
	mediaType, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	switch {
	case err != nil:
		l.Err = fmt.Errorf("reading the answer: %w", err)
	case resp.StatusCode != http.StatusOK:
		l.Err = fmt.Errorf("status %d, want 200", resp.StatusCode)
	case len(raw) > maxPage:
		l.Err = fmt.Errorf("the answer exceeds %d bytes", maxPage)
	case !strings.HasPrefix(mediaType, wantType):
		l.Err = fmt.Errorf("content type %q, want %s", mediaType, wantType)
	}
	return string(raw), l
}
