package fault

import (
	"context"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

func call(t *testing.T, s *Switch, method string) error {
	t.Helper()
	handled := false
	_, err := s.UnaryServerInterceptor()(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: method},
		func(context.Context, any) (any, error) { handled = true; return "ok", nil })
	if err == nil && !handled {
		t.Fatal("a call that did not fail never reached its handler")
	}
	if err != nil && handled {
		t.Fatal("a failed call reached its handler")
	}
	return err
}

func TestOffPassesEveryCall(t *testing.T) {
	for _, ratio := range []float64{0, -0.5} {
		s := New(ratio)
		if s != nil {
			t.Fatalf("New(%v) = %v, want nil (off)", ratio, s)
		}
		for range 100 {
			if err := call(t, s, "/shipshape.catalog.v1.CatalogService/GetProduct"); err != nil {
				t.Fatalf("ratio %v: %v", ratio, err)
			}
		}
	}
}

func TestFailsItsShareEvenly(t *testing.T) {
	for _, tc := range []struct {
		ratio  float64
		window int // every window of this many calls holds exactly want failures
		want   int
	}{
		{0.5, 2, 1},
		{0.2, 5, 1},
		{0.25, 8, 2},
		{1, 3, 3},
		{7, 3, 3}, // above 1 is all
	} {
		s := New(tc.ratio)
		for w := range 20 {
			failed := 0
			for range tc.window {
				err := call(t, s, "/shipshape.catalog.v1.CatalogService/GetProduct")
				if err == nil {
					continue
				}
				if st, _ := status.FromError(err); st.Code() != codes.Unavailable || st.Message() != Message {
					t.Fatalf("ratio %v: failure %v, want Unavailable with %q", tc.ratio, err, Message)
				}
				failed++
			}
			if failed != tc.want {
				t.Fatalf("ratio %v, window %d: %d of %d calls failed, want %d", tc.ratio, w, failed, tc.window, tc.want)
			}
		}
	}
}

func TestHealthAndReflectionAreNeverFailed(t *testing.T) {
	s := New(1)
	for _, m := range []string{"/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch",
		"/grpc.reflection.v1.ServerReflection/ServerReflectionInfo"} {
		if err := call(t, s, m); err != nil {
			t.Errorf("%s: %v", m, err)
		}
	}
	if err := call(t, s, "/shipshape.cart.v1.CartService/GetCart"); err == nil {
		t.Error("with ratio 1 a service call passed")
	}
}
