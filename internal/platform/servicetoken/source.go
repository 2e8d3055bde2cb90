package servicetoken

import (
	"context"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

// Token is an issued service token and how long it lives.
type Token struct {
	Value     string
	ExpiresIn time.Duration
}

// Fetch obtains a new token (from identity: see Exchange).
type Fetch func(ctx context.Context) (Token, error)

const (
	// expiryMargin: a token this close to its expiry is not sent any more,
	// so it cannot expire on the way or on a callee whose clock is ahead.
	expiryMargin = 30 * time.Second
	// fetchTimeout bounds one fetch, whichever call started it.
	fetchTimeout = 5 * time.Second
)

// Source hands out this service's token: fetched on first use, reused
// until half its lifetime has passed, then fetched again. While a refetch
// fails, the current token is still used as long as it is valid, so a
// short identity outage goes unnoticed. Concurrent calls share one fetch.
type Source struct {
	fetch Fetch
	now   func() time.Time
	group singleflight.Group

	mu        sync.Mutex
	token     string
	refreshAt time.Time // fetch again from here on
	usableTo  time.Time // never send it after this
}

// NewSource returns a source over fetch.
func NewSource(fetch Fetch) *Source { return &Source{fetch: fetch, now: time.Now} }

// Token returns a valid token, fetching one when needed. Only a token that
// can no longer be used makes a failed fetch the caller's error.
func (s *Source) Token(ctx context.Context) (string, error) {
	now := s.now()
	s.mu.Lock()
	token, fresh, usable := s.token, now.Before(s.refreshAt), now.Before(s.usableTo)
	s.mu.Unlock()
	if fresh {
		return token, nil
	}
	ch := s.group.DoChan("token", func() (any, error) {
		// Not the caller's context: a fetch serves every waiting call, and
		// the caller's values (its end user's token) must not travel to
		// identity with it.
		fctx, cancel := context.WithTimeout(context.Background(), fetchTimeout)
		defer cancel()
		return s.refresh(fctx)
	})
	select {
	case r := <-ch:
		if r.Err != nil && usable {
			return token, nil
		}
		if r.Err != nil {
			return "", r.Err
		}
		return r.Val.(string), nil
	case <-ctx.Done():
		if usable {
			return token, nil
		}
		return "", ctx.Err()
	}
}

func (s *Source) refresh(ctx context.Context) (string, error) {
	start := s.now()
	t, err := s.fetch(ctx)
	if err != nil {
		return "", err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.token = t.Value
	s.refreshAt = start.Add(t.ExpiresIn / 2)
	s.usableTo = start.Add(t.ExpiresIn - expiryMargin)
	return t.Value, nil
}
