package pg_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/shipshape-dev/shipshape/internal/platform/apperr"
	"github.com/shipshape-dev/shipshape/internal/platform/pg"
	"github.com/shipshape-dev/shipshape/internal/platform/pgtest"
)

func TestInTxCommitsOrRollsBackAndKeepsDomainErrors(t *testing.T) {
	pool, err := pgxpool.New(context.Background(), pgtest.NewDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `CREATE TABLE t (n int)`); err != nil {
		t.Fatal(err)
	}
	insert := func(tx pgx.Tx) error { _, err := tx.Exec(ctx, `INSERT INTO t VALUES (1)`); return err }
	if err := pg.InTx(ctx, pool, insert); err != nil {
		t.Fatal(err)
	}
	refused := apperr.InvalidField("n", "no")
	err = pg.InTx(ctx, pool, func(tx pgx.Tx) error { _ = insert(tx); return refused })
	if err != refused {
		t.Fatalf("err = %v, want the domain error unchanged", err)
	}
	err = pg.InTx(ctx, pool, func(tx pgx.Tx) error { _, err := tx.Exec(ctx, `SELECT * FROM missing`); return err })
	if !apperr.Is(err, apperr.KindInternal) {
		t.Fatalf("err = %v, want a classified Internal error", err)
	}
	var n int
	_ = pool.QueryRow(ctx, `SELECT count(*) FROM t`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d rows, want 1 (the refused transaction rolled back)", n)
	}
}
