package store

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

const productColumns = `p.id::text, p.slug, p.name, p.description, p.price_minor, p.currency,
	p.category_id::text, c.slug, p.image_url, p.stock, p.created_at, p.updated_at`

const productFrom = ` FROM products p JOIN categories c ON c.id = p.category_id `

func scanProduct(row pgx.Row) (domain.Product, error) {
	var p domain.Product
	err := row.Scan(&p.ID, &p.Slug, &p.Name, &p.Description, &p.Price.AmountMinor, &p.Price.Currency,
		&p.CategoryID, &p.CategorySlug, &p.ImageURL, &p.Stock, &p.CreatedAt, &p.UpdatedAt)
	return p, err
}

func collectProducts(rows pgx.Rows, limit int) ([]domain.Product, bool, error) {
	defer rows.Close()
	var out []domain.Product
	for rows.Next() {
		p, err := scanProduct(rows)
		if err != nil {
			return nil, false, pg.Classify(err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, false, pg.Classify(err)
	}
	if len(out) > limit {
		return out[:limit], true, nil
	}
	return out, false, nil
}

// ListCategories returns every category by name.
func (s *Store) ListCategories(ctx context.Context) ([]domain.Category, error) {
	rows, err := s.pool.Query(ctx, `SELECT id::text, slug, name, description FROM categories ORDER BY name`)
	if err != nil {
		return nil, pg.Classify(err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Category, error) {
		var c domain.Category
		return c, r.Scan(&c.ID, &c.Slug, &c.Name, &c.Description)
	})
	return out, pg.Classify(err)
}

// ListProducts returns up to limit products after the slug `after`, in slug
// order (keyset pagination: stable under inserts, no OFFSET scans), and
// whether more follow. An unknown category is domain.ErrNotFound.
func (s *Store) ListProducts(ctx context.Context, category, after string, limit int) ([]domain.Product, bool, error) {
	if category != "" {
		var exists bool
		if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM categories WHERE slug = $1)`, category).Scan(&exists); err != nil {
			return nil, false, pg.Classify(err)
		}
		if !exists {
			return nil, false, domain.ErrNotFound
		}
	}
	rows, err := s.pool.Query(ctx, `SELECT `+productColumns+productFrom+`
		WHERE ($1 = '' OR c.slug = $1) AND p.slug > $2
		ORDER BY p.slug LIMIT $3`, category, after, limit+1)
	if err != nil {
		return nil, false, pg.Classify(err)
	}
	return collectProducts(rows, limit)
}

// GetProduct finds a product by id or slug (domain.ErrNotFound when none has it).
func (s *Store) GetProduct(ctx context.Context, idOrSlug string) (domain.Product, error) {
	where := `p.slug = $1`
	if domain.ValidID(idOrSlug) {
		where = `p.id = $1::uuid`
	}
	p, err := scanProduct(s.pool.QueryRow(ctx, `SELECT `+productColumns+productFrom+`WHERE `+where, idOrSlug))
	if errors.Is(err, pgx.ErrNoRows) {
		return domain.Product{}, domain.ErrNotFound
	}
	return p, pg.Classify(err)
}

// Search ranks products by full-text relevance to q (web-search syntax),
// name matches above description matches.
func (s *Store) Search(ctx context.Context, q string, offset, limit int) ([]domain.Product, bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+productColumns+productFrom+`,
		websearch_to_tsquery('english', $1) AS query
		WHERE p.search @@ query
		ORDER BY ts_rank_cd(p.search, query) DESC, p.slug
		OFFSET $2 LIMIT $3`, q, offset, limit+1)
	if err != nil {
		return nil, false, pg.Classify(err)
	}
	return collectProducts(rows, limit)
}
