package app_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	catalogv1 "github.com/shipshape-dev/shipshape/api/catalog/v1"
	"github.com/shipshape-dev/shipshape/internal/stacktest"
)

// benchParallelism is goroutines per CPU, the same for every variant so the
// ratio compares like with like.
const benchParallelism = 8

// BenchmarkGetProduct compares one product lookup by slug through the whole
// service (gRPC, and REST through the gateway) with the same query through
// raw pgx, against the same database, in the same run: once with the product
// cache off (every call reaches PostgreSQL) and once with the default TTL.
func BenchmarkGetProduct(b *testing.B) {
	c := startCatalog(b, nil)
	cached := startCatalog(b, map[string]string{"PRODUCT_CACHE_TTL": "1s"})
	ctx := context.Background()

	b.Run("pgx", func(b *testing.B) {
		cfg, err := pgxpool.ParseConfig(c.dbURL)
		if err != nil {
			b.Fatal(err)
		}
		cfg.MaxConns = 10 // the service's default pool size
		pool, err := pgxpool.NewWithConfig(ctx, cfg)
		if err != nil {
			b.Fatal(err)
		}
		defer pool.Close()
		b.SetParallelism(benchParallelism)
		b.RunParallel(func(pb *testing.PB) {
			var id, slug, name, desc, cur, catID, catSlug, img string
			var price int64
			var stock int32
			var created, updated any
			for pb.Next() {
				err := pool.QueryRow(ctx, `SELECT p.id::text, p.slug, p.name, p.description, p.price_minor, p.currency,
					p.category_id::text, c.slug, p.image_url, p.stock, p.created_at, p.updated_at
					FROM products p JOIN categories c ON c.id = p.category_id WHERE p.slug = $1`, "storm-lantern").
					Scan(&id, &slug, &name, &desc, &price, &cur, &catID, &catSlug, &img, &stock, &created, &updated)
				if err != nil {
					b.Error(err)
					return
				}
			}
		})
	})

	for _, v := range []struct {
		name string
		c    *catalog
	}{{"cache=off", c}, {"cache=1s", cached}} {
		b.Run("grpc/"+v.name, func(b *testing.B) { benchGRPC(b, v.c) })
		b.Run("rest/"+v.name, func(b *testing.B) { benchREST(b, v.c) })
	}
}

func benchGRPC(b *testing.B, c *catalog) {
	ctx := context.Background()
	b.SetParallelism(benchParallelism)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.client.GetProduct(ctx, &catalogv1.GetProductRequest{IdOrSlug: "storm-lantern"}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func benchREST(b *testing.B, c *catalog) {
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}
	url := c.rest + "/v1/products/storm-lantern"
	b.SetParallelism(benchParallelism)
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			resp, err := client.Get(url)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
}

var idleRSS struct {
	once sync.Once
	mib  float64
	err  string
}

// BenchmarkIdleRSS reports the resident memory of a real catalog process
// that is ready but has served nothing.
func BenchmarkIdleRSS(b *testing.B) {
	idleRSS.once.Do(func() {
		p := stacktest.StartProcess(b, stacktest.Build(b, "cmd/catalog"), map[string]string{
			"DATABASE_URL": seeded.NewDatabase(b), "LOG_LEVEL": "warn"})
		raw, err := os.ReadFile("/proc/" + strconv.Itoa(p.Cmd.Process.Pid) + "/status")
		if err != nil {
			idleRSS.err = err.Error()
			return
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if f := strings.Fields(line); len(f) == 3 && f[0] == "VmRSS:" {
				kib, _ := strconv.ParseFloat(f[1], 64)
				idleRSS.mib = kib / 1024
			}
		}
	})
	if idleRSS.err != "" || idleRSS.mib == 0 {
		b.Fatalf("could not read RSS: %s", idleRSS.err)
	}
	for b.Loop() {
	}
	b.ReportMetric(idleRSS.mib, "MiB-rss")
}
