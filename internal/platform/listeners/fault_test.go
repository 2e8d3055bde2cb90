package listeners

import (
	"context"
	"strings"
	"testing"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/shipshape-dev/shipshape/internal/platform/fault"
)

// pingService is a one-method gRPC service for the switch to fail.
var pingService = grpc.ServiceDesc{
	ServiceName: "test.Ping",
	HandlerType: (*any)(nil),
	Methods: []grpc.MethodDesc{{MethodName: "Ping", Handler: func(_ any, ctx context.Context, dec func(any) error, icpt grpc.UnaryServerInterceptor) (any, error) {
		in := new(emptypb.Empty)
		if err := dec(in); err != nil {
			return nil, err
		}
		handler := func(context.Context, any) (any, error) { return &emptypb.Empty{}, nil }
		return icpt(ctx, in, &grpc.UnaryServerInfo{FullMethod: "/test.Ping/Ping"}, handler)
	}}},
}

// With FAULT_ERROR_RATIO at 0.5 every second call fails with the switch's
// Unavailable and is counted by the RED metrics like any failure, while
// the health checks that route traffic to the pod keep passing.
func TestFaultSwitchFailsItsShareOfCalls(t *testing.T) {
	r := startRun(t, func(o *Options) {
		o.Config.FaultErrorRatio = 0.5
		o.RegisterGRPC = func(s *grpc.Server) { s.RegisterService(&pingService, struct{}{}) }
	})
	conn, err := grpc.NewClient(r.addrs.GRPC, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	failed := 0
	for range 10 {
		err := conn.Invoke(t.Context(), "/test.Ping/Ping", &emptypb.Empty{}, &emptypb.Empty{})
		if err == nil {
			continue
		}
		if st, _ := status.FromError(err); st.Code() != codes.Unavailable || st.Message() != fault.Message {
			t.Fatalf("a call failed with %v, want the switch's Unavailable", err)
		}
		failed++
	}
	if failed != 5 {
		t.Fatalf("%d of 10 calls failed, want 5", failed)
	}
	for range 4 {
		if _, err := healthpb.NewHealthClient(conn).Check(t.Context(), &healthpb.HealthCheckRequest{}); err != nil {
			t.Fatalf("health check under the switch: %v", err)
		}
	}
	_, body := get(t, "http://"+r.addrs.Admin+"/metrics")
	if want := `grpc_server_handled_total{grpc_code="Unavailable",grpc_method="Ping",grpc_service="test.Ping"} 5`; !strings.Contains(string(body), want) {
		t.Fatalf("metrics lack %s", want)
	}
}
