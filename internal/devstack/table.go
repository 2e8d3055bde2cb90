package devstack

import (
	"bytes"
	"io"
	"text/tabwriter"
)

// writeTable prints where everything listens, the one thing a developer
// needs after `make run`.
func urlTable(services []Service, pgURL, pgLog string) []byte {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	_, _ = io.WriteString(tw, "SERVICE\tREST\tgRPC\tADMIN\n")
	for _, s := range services {
		_, _ = io.WriteString(tw, s.Name+"\thttp://"+s.HTTPAddr()+"\t"+s.GRPCAddr()+"\thttp://"+s.AdminAddr()+"\n")
	}
	_ = tw.Flush()
	// Below the table: the long URL would stretch the REST column.
	_, _ = io.WriteString(&b, "PostgreSQL: "+pgURL+" (log: "+pgLog+")\n")
	return b.Bytes()
}
