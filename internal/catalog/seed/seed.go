package seed

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// namespace derives stable ids from slugs, so every environment and every
// re-run gives the demo products the same ids.
var namespace = uuid.MustParse("6f1c4a52-2b8e-4c1e-9d0a-5a7e3c1b9f10")

// ID is the stable id of a seeded category or product.
func ID(kind, slug string) string { return uuid.NewSHA1(namespace, []byte(kind+"/"+slug)).String() }

// Result counts what a run changed.
type Result struct{ CategoriesChanged, ProductsChanged int }

// Load upserts the demo catalog in one transaction. Running it again changes
// nothing; descriptive fields return to the seed's values, but stock is only
// set on first insert, so a re-seed never hides or invents sold stock.
func Load(ctx context.Context, pool *pgxpool.Pool) (Result, error) {
	var res Result
	err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, c := range Categories {
			tag, err := tx.Exec(ctx, `INSERT INTO categories (id, slug, name, description) VALUES ($1, $2, $3, $4)
				ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description
				WHERE (categories.name, categories.description) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description)`,
				ID("category", c.Slug), c.Slug, c.Name, c.Description)
			if err != nil {
				return fmt.Errorf("category %s: %w", c.Slug, err)
			}
			res.CategoriesChanged += int(tag.RowsAffected())
		}
		for _, p := range Products {
			tag, err := tx.Exec(ctx, `INSERT INTO products (id, slug, name, description, price_minor, currency, category_id, image_url, stock)
				SELECT $1, $2, $3, $4, $5, 'EUR', c.id, $7, $8 FROM categories c WHERE c.slug = $6
				ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description,
					price_minor = EXCLUDED.price_minor, currency = EXCLUDED.currency,
					category_id = EXCLUDED.category_id, image_url = EXCLUDED.image_url, updated_at = now()
				WHERE (products.name, products.description, products.price_minor, products.currency, products.category_id, products.image_url)
					IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, EXCLUDED.price_minor, EXCLUDED.currency, EXCLUDED.category_id, EXCLUDED.image_url)`,
				ID("product", p.Slug), p.Slug, p.Name, p.Description, p.PriceCents, p.Category, ImagePath(p.Slug), p.Stock)
			if err != nil {
				return fmt.Errorf("product %s: %w", p.Slug, err)
			}
			res.ProductsChanged += int(tag.RowsAffected())
		}
		return nil
	})
	return res, pg.Classify(err)
}
