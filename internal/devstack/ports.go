package devstack

// FixedPorts are the ports `make run` always uses, the public API first and
// then every service's REST, gRPC and admin ports: the one list scripts
// read (`devstack -ports`) instead of writing their own.
func FixedPorts(services []Service) []int {
	ports := []int{GatewayPort}
	for _, s := range services {
		ports = append(ports, s.REST, s.GRPC, s.Admin)
	}
	return ports
}
