package usecase_test

import (
	"net/netip"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/shipshape-dev/shipshape/internal/identity/domain"
	"github.com/shipshape-dev/shipshape/internal/identity/identitytest"
	"github.com/shipshape-dev/shipshape/internal/identity/password"
	"github.com/shipshape-dev/shipshape/internal/identity/store"
	"github.com/shipshape-dev/shipshape/internal/identity/store/migrations"
	"github.com/shipshape-dev/shipshape/internal/identity/tokens"
	"github.com/shipshape-dev/shipshape/internal/identity/usecase"
	"github.com/shipshape-dev/shipshape/internal/platform/auth"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestMain(m *testing.M) { os.Exit(pgtest.Main(m)) }

var migrated = pgtest.Migrated("identity", migrations.FS)

// cheap keeps argon2id fast in tests; the parameters are checked elsewhere.
var cheap = password.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

const goodPassword = "unusual giraffe lantern"

// sessions: tokens live an hour after each refresh, sessions three.
var sessions = domain.SessionPolicy{TTL: time.Hour, MaxLifetime: 3 * time.Hour}

// throttle is small enough to reach in a few calls.
var throttle = domain.ThrottlePolicy{AccountAllowance: 3, AddressAllowance: 6, Backoff: time.Minute,
	MaxBackoff: 8 * time.Minute, Window: time.Hour}

// Client addresses; clientA6 and clientB6 share a /64.
var (
	clientA  = netip.MustParseAddr("198.51.100.7")
	clientB  = netip.MustParseAddr("203.0.113.9")
	clientA6 = netip.MustParseAddr("2001:db8:1:2::a")
	clientB6 = netip.MustParseAddr("2001:db8:1:2::b")
)

// env is the use cases over a fresh database, and what tests inspect.
type env struct {
	id       *usecase.Identity
	st       usecase.Store
	pool     *pgxpool.Pool
	clock    *identitytest.Clock
	reg      *prometheus.Registry
	verifies atomic.Int32 // argon2id verifications, dummy included
}

// options adjust setup: a store wrapper (fault injection) and deps changes.
type options struct {
	wrap func(usecase.Store) usecase.Store
	deps func(*usecase.Deps)
}

func setup(t *testing.T, o options) *env {
	t.Helper()
	pool := migrated.NewPool(t)
	e := &env{pool: pool, clock: identitytest.NewClock(), reg: prometheus.NewRegistry()}
	e.st = store.New(pool)
	if o.wrap != nil {
		e.st = o.wrap(e.st)
	}
	metrics := usecase.NewMetrics(e.reg)
	h, err := password.NewHasher(cheap, password.WithObserver(func(op string, d time.Duration) {
		metrics.ObserveHash(op, d)
		if op == "verify" {
			e.verifies.Add(1)
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	_, key := identitytest.KeyFile(t)
	signer, err := auth.NewSigner(key)
	if err != nil {
		t.Fatal(err)
	}
	d := usecase.Deps{Store: e.st, Hasher: h, Metrics: metrics, Sessions: sessions, RefreshGrace: 10 * time.Second, Now: e.clock.Now, Throttle: throttle,
		Access: tokens.NewAccess(signer, "iss", "aud", 15*time.Minute)}
	if o.deps != nil {
		o.deps(&d)
	}
	e.id = usecase.New(d)
	return e
}

// signUp creates an account with goodPassword.
func (e *env) signUp(t *testing.T, email string) domain.User {
	t.Helper()
	u, err := e.id.SignUp(t.Context(), domain.SignUp{Email: email, Password: goodPassword, Name: "Test User"})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// signIn returns the tokens of a successful sign-in.
func (e *env) signIn(t *testing.T, email string) domain.Tokens {
	t.Helper()
	tok, err := e.id.SignIn(t.Context(), usecase.Credentials{Email: email, Password: goodPassword})
	if err != nil {
		t.Fatalf("sign-in %s: %v", email, err)
	}
	return tok
}

// counter reads one labelled counter of the use cases' metrics.
func (e *env) counter(t *testing.T, name, label string) float64 {
	t.Helper()
	mfs, err := e.reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			if len(m.GetLabel()) == 0 && label == "" || len(m.GetLabel()) == 1 && m.GetLabel()[0].GetValue() == label {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func (e *env) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := e.pool.QueryRow(t.Context(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
