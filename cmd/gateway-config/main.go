// Command gateway-config renders and checks the KrakenD configuration in
// gateway/config and regenerates what derives from gateway/routes.yaml.
//
//	gateway-config render -env development [-out file]
//	gateway-config check [-env staging]   (every environment by default)
//	gateway-config routes [-dir gateway/config] [-doc docs/gateway.md]
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
)

const usage = "usage: gateway-config render -env E [-out file] | check [-env E] | routes [-dir gateway/config] [-doc docs/gateway.md]"

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "gateway-config:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	flags := flag.NewFlagSet(args[0], flag.ContinueOnError)
	env := flags.String("env", "", "environment: development, staging or production")
	out := flags.String("out", "", "render: write here instead of stdout")
	dir := flags.String("dir", "gateway/config", "routes: the gateway/config directory to update")
	doc := flags.String("doc", "docs/gateway.md", "routes: the document whose routes table to update")
	if err := flags.Parse(args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "render":
		return render(*env, *out)
	case "check":
		return check(*env)
	case "routes":
		return regenerate(*dir, *doc)
	default:
		return errors.New(usage)
	}
}
