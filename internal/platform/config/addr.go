package config

import (
	"net"
	"strconv"
)

// CheckAddr reports whether value is a listen/dial address of the form
// host:port with a numeric port in 0..65535 (0 asks the OS for a free port).
// The host may be empty (":8080" listens on all interfaces). The error names
// the variable so it can be returned straight from a Validate method.
func CheckAddr(variable, value string) error {
	_, port, err := net.SplitHostPort(value)
	if err != nil {
		return Errorf(variable, "invalid address %q: want host:port", value)
	}
	n, err := strconv.ParseUint(port, 10, 16)
	if err != nil || port != strconv.FormatUint(n, 10) {
		return Errorf(variable, "invalid port %q in address %q", port, value)
	}
	return nil
}
