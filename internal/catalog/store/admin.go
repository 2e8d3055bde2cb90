package store

import (
	"context"
	"errors"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"github.com/shipshape-dev/shipshape/internal/catalog/domain"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
)

// CreateProduct inserts a validated product: domain.ErrSlugTaken when
// another product has its slug, domain.ErrUnknownCategory when its
// category does not exist.
func (s *Store) CreateProduct(ctx context.Context, np domain.NewProduct) (domain.Product, error) {
	id := uuid.NewString()
	tag, err := s.pool.Exec(ctx, `INSERT INTO products
		(id, slug, name, description, price_minor, currency, category_id, image_url, stock)
		SELECT $1, $2, $3, $4, $5, $6, c.id, $8, $9 FROM categories c WHERE c.slug = $7`,
		id, np.Slug, np.Name, np.Description, np.Price.AmountMinor, np.Price.Currency, np.CategorySlug, np.ImageURL, np.Stock)
	switch {
	case pg.IsUniqueViolation(err, "products_slug_key"):
		return domain.Product{}, domain.ErrSlugTaken
	case err != nil:
		return domain.Product{}, pg.Classify(err)
	case tag.RowsAffected() == 0:
		return domain.Product{}, domain.ErrUnknownCategory
	}
	return s.GetProduct(ctx, id)
}

// UpdateProduct applies a validated patch; unset fields keep their values.
// domain.ErrNotFound: no product has the id; domain.ErrUnknownCategory:
// the patch names a category that does not exist.
func (s *Store) UpdateProduct(ctx context.Context, id string, p domain.ProductPatch) (domain.Product, error) {
	var price, currency any
	if p.Price != nil {
		price, currency = p.Price.AmountMinor, p.Price.Currency
	}
	var categoryID *string
	err := s.inTx(ctx, func(tx pgx.Tx) error {
		if p.CategorySlug != nil {
			err := tx.QueryRow(ctx, `SELECT id::text FROM categories WHERE slug = $1`, *p.CategorySlug).Scan(&categoryID)
			if errors.Is(err, pgx.ErrNoRows) {
				return domain.ErrUnknownCategory
			}
			if err != nil {
				return err
			}
		}
		tag, err := tx.Exec(ctx, `UPDATE products SET
			name = COALESCE($2, name), description = COALESCE($3, description),
			price_minor = COALESCE($4, price_minor), currency = COALESCE($5, currency),
			category_id = COALESCE($6::uuid, category_id), image_url = COALESCE($7, image_url),
			stock = COALESCE($8, stock), updated_at = now()
			WHERE id = $1`, id, p.Name, p.Description, price, currency, categoryID, p.ImageURL, p.Stock)
		if err == nil && tag.RowsAffected() == 0 {
			return domain.ErrNotFound
		}
		return err
	})
	if err != nil {
		return domain.Product{}, err
	}
	return s.GetProduct(ctx, id)
}
