package compliance

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
)

// api is what a pass needs of the API server (kubeapi.Client).
type api interface {
	Do(ctx context.Context, method, path string, body, out any) error
	DoWarned(ctx context.Context, method, path string, body, out any) ([]string, error)
}

// pageSize bounds one list answer, so a large cluster is read in pages.
const pageSize = 250

// eachPage hands every page of a collection to visit, one at a time, so
// that a large cluster's pods are never all in memory at once.
func eachPage[T any](ctx context.Context, c api, path string, visit func([]T) error) error {
	next := ""
	for {
		var page struct {
			Metadata struct {
				Continue string `json:"continue"`
			} `json:"metadata"`
			Items []T `json:"items"`
		}
		q := url.Values{"limit": {fmt.Sprint(pageSize)}}
		if next != "" {
			q.Set("continue", next)
		}
		if err := c.Do(ctx, http.MethodGet, path+"?"+q.Encode(), nil, &page); err != nil {
			return fmt.Errorf("listing %s: %w", path, err)
		}
		if err := visit(page.Items); err != nil {
			return err
		}
		if next = page.Metadata.Continue; next == "" {
			return nil
		}
	}
}

// listAll reads every page of a small collection (namespaces, policies).
func listAll[T any](ctx context.Context, c api, path string) ([]T, error) {
	var all []T
	err := eachPage(ctx, c, path, func(items []T) error {
		all = append(all, items...)
		return nil
	})
	return all, err
}

// pass checks every workload once, and those of staging and production
// against their namespace's registries (registries.go). An object whose
// dry run fails (the copy is refused for a reason no policy gives) is
// counted in unchecked and logged; a failed list, or a failed read of a
// namespace's registries, fails the pass, since a partial report would
// clear violations that still exist.
func pass(ctx context.Context, c api, scratch string, log *slog.Logger) (r Report, unchecked int, err error) {
	namespaces, err := listAll[object](ctx, c, "/api/v1/namespaces")
	if err != nil {
		return Report{}, 0, err
	}
	nsExceptions := map[string]string{}
	nsLabels := map[string]map[string]string{}
	for _, ns := range namespaces {
		nsLabels[ns.Metadata.Name] = ns.Metadata.Labels
		if reason := ns.Metadata.Annotations[ExceptionAnnotation]; reason != "" {
			nsExceptions[ns.Metadata.Name] = reason
		}
	}
	objExceptions := map[string]string{}
	withWorkloads := map[string]bool{}
	regs := registries{api: c}
	for _, k := range kinds {
		err := eachPage(ctx, c, k.path(""), func(items []object) error {
			for _, o := range items {
				md := o.Metadata
				if md.Namespace == scratch || md.DeletionTimestamp != nil || o.managedByACheckedKind() {
					continue
				}
				withWorkloads[md.Namespace] = true
				if reason := md.Annotations[ExceptionAnnotation]; reason != "" {
					objExceptions[md.Namespace+"/"+k.Kind+"/"+md.Name] = reason
				}
				vs, err := check(ctx, c, scratch, k, o)
				if err != nil {
					if ctx.Err() != nil {
						return err // the pass ran out of time: not the object's fault
					}
					unchecked++
					log.Warn("compliance: object not checked", "namespace", md.Namespace, "kind", k.Kind, "name", md.Name, "error", err)
					continue
				}
				if releasedEnvironment(nsLabels[md.Namespace], md.Labels) {
					prefixes, err := regs.of(ctx, md.Namespace)
					if err != nil {
						return err
					}
					vs = append(vs, registryViolations(k, o, prefixes)...)
				}
				r.Checked++
				r.Violations = append(r.Violations, vs...)
			}
			return nil
		})
		if err != nil {
			return Report{}, 0, err
		}
	}
	policies, err := listAll[networkPolicy](ctx, c, "/apis/networking.k8s.io/v1/networkpolicies")
	if err != nil {
		return Report{}, 0, err
	}
	r.Violations = append(r.Violations, undefendedNamespaces(withWorkloads, policies)...)
	accept(r.Violations, nsExceptions, objExceptions)
	sortViolations(r.Violations)
	return r, unchecked, nil
}

// check creates o's copy in the scratch namespace as a dry run: nothing is
// stored, and the policies bound there with Warn answer with every rule
// the copy breaks.
func check(ctx context.Context, c api, scratch string, k kind, o object) ([]Violation, error) {
	body, err := candidate(k, o)
	if err != nil {
		return nil, err
	}
	warnings, err := c.DoWarned(ctx, http.MethodPost, k.path(scratch)+"?dryRun=All", body, nil)
	if err != nil {
		return nil, err
	}
	return violationsIn(k, o, warnings), nil
}
