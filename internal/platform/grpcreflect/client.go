// Package grpcreflect is a generic gRPC client that knows a service only
// through server reflection, as grpcurl and Postman do: it lists services,
// resolves a method's types from the server's own descriptors and calls it
// with JSON. Services turn reflection on with GRPC_REFLECTION=true.
package grpcreflect

import (
	"context"
	"fmt"
	"io"
	"strings"

	"google.golang.org/grpc"
	rpb "google.golang.org/grpc/reflection/grpc_reflection_v1"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// Client asks one server about itself.
type Client struct {
	conn *grpc.ClientConn
}

// New returns a client over conn.
func New(conn *grpc.ClientConn) *Client { return &Client{conn: conn} }

// Services lists the fully qualified services the server offers.
func (c *Client) Services(ctx context.Context) ([]string, error) {
	resp, err := c.ask(ctx, &rpb.ServerReflectionRequest{MessageRequest: &rpb.ServerReflectionRequest_ListServices{}})
	if err != nil {
		return nil, err
	}
	var names []string
	for _, s := range resp.GetListServicesResponse().GetService() {
		names = append(names, s.GetName())
	}
	return names, nil
}

// Method resolves "pkg.Service/Method" (or "pkg.Service.Method") from the
// server's descriptors.
func (c *Client) Method(ctx context.Context, name string) (protoreflect.MethodDescriptor, error) {
	full := strings.Replace(strings.TrimPrefix(name, "/"), "/", ".", 1)
	resp, err := c.ask(ctx, &rpb.ServerReflectionRequest{
		MessageRequest: &rpb.ServerReflectionRequest_FileContainingSymbol{FileContainingSymbol: full}})
	if err != nil {
		return nil, err
	}
	set := &descriptorpb.FileDescriptorSet{}
	for _, raw := range resp.GetFileDescriptorResponse().GetFileDescriptorProto() {
		fd := &descriptorpb.FileDescriptorProto{}
		if err := proto.Unmarshal(raw, fd); err != nil {
			return nil, fmt.Errorf("reflection: descriptor: %w", err)
		}
		set.File = append(set.File, fd)
	}
	files, err := protodesc.NewFiles(set)
	if err != nil {
		return nil, fmt.Errorf("reflection: %s: %w", full, err)
	}
	d, err := files.FindDescriptorByName(protoreflect.FullName(full))
	if err != nil {
		return nil, fmt.Errorf("reflection: %s: %w", full, err)
	}
	m, ok := d.(protoreflect.MethodDescriptor)
	if !ok {
		return nil, fmt.Errorf("reflection: %s is a %T, not a method", full, d)
	}
	return m, nil
}

// InvokeJSON calls a unary method with a JSON request and returns the JSON
// response (protojson, lowerCamelCase), like `grpcurl -d`.
func (c *Client) InvokeJSON(ctx context.Context, name, request string, opts ...grpc.CallOption) (string, error) {
	m, err := c.Method(ctx, name)
	if err != nil {
		return "", err
	}
	if m.IsStreamingClient() || m.IsStreamingServer() {
		return "", fmt.Errorf("%s is a streaming method; only unary calls are supported", m.FullName())
	}
	in := dynamicpb.NewMessage(m.Input())
	if err := protojson.Unmarshal([]byte(request), in); err != nil {
		return "", fmt.Errorf("request for %s: %w", m.FullName(), err)
	}
	out := dynamicpb.NewMessage(m.Output())
	path := fmt.Sprintf("/%s/%s", m.Parent().FullName(), m.Name())
	if err := c.conn.Invoke(ctx, path, in, out, opts...); err != nil {
		return "", err
	}
	data, err := protojson.Marshal(out)
	return string(data), err
}

// ask sends one request on a fresh reflection stream.
func (c *Client) ask(ctx context.Context, req *rpb.ServerReflectionRequest) (*rpb.ServerReflectionResponse, error) {
	stream, err := rpb.NewServerReflectionClient(c.conn).ServerReflectionInfo(ctx)
	if err != nil {
		return nil, err
	}
	// io.EOF from Send means the server already ended the stream (a server
	// without reflection answers Unimplemented at once): Recv returns that
	// status, which is the error to report.
	if err := stream.Send(req); err != nil && err != io.EOF {
		return nil, err
	}
	resp, err := stream.Recv()
	if err != nil {
		return nil, err
	}
	if e := resp.GetErrorResponse(); e != nil {
		return nil, fmt.Errorf("reflection: %s", e.GetErrorMessage())
	}
	if err := stream.CloseSend(); err != nil && err != io.EOF {
		return nil, err
	}
	return resp, nil
}
