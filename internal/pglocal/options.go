package pglocal

import (
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
)

// Options configures a local PostgreSQL server.
type Options struct {
	// DataDir is created if missing (mode 0700); initdb runs when it has no
	// PG_VERSION file. Relative paths are made absolute.
	DataDir string
	// Port is required.
	Port int
	// Host is the only listen address; default "127.0.0.1". Keep it a
	// loopback address: the cluster uses trust authentication.
	Host string
	// BinDir holds postgres and initdb; default FindBinDir().
	BinDir string
	// Durable false (tests) sets fsync=off, synchronous_commit=off and
	// full_page_writes=off: fast, but a machine crash can corrupt the data.
	Durable bool
	// LogPath receives the output of initdb and postgres (appended).
	// Default: "<DataDir>.log", beside the data directory rather than in it,
	// so it survives re-initialisation and is not copied by base backups;
	// e.g. DataDir ".data/postgres" logs to ".data/postgres.log".
	LogPath string
	// Settings are extra server settings passed as -c name=value; they
	// override the ones above.
	Settings map[string]string
}

func (o Options) normalize() (Options, error) {
	if o.Port <= 0 || o.Port > 65535 {
		return o, fmt.Errorf("pglocal: Options.Port must be set to a TCP port, got %d", o.Port)
	}
	if o.DataDir == "" {
		return o, errors.New("pglocal: Options.DataDir is required")
	}
	var err error
	if o.DataDir, err = filepath.Abs(o.DataDir); err != nil {
		return o, err
	}
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	if o.BinDir == "" {
		if o.BinDir, err = FindBinDir(); err != nil {
			return o, err
		}
	}
	if o.LogPath == "" {
		o.LogPath = o.DataDir + ".log"
	}
	if o.LogPath, err = filepath.Abs(o.LogPath); err != nil {
		return o, err
	}
	return o, nil
}

// serverArgs builds the postgres command line. No unix socket: its default
// directory (/var/run/postgresql) needs privileges we may not have, and all
// clients here use TCP.
func (o Options) serverArgs() []string {
	args := []string{
		"-D", o.DataDir,
		"-c", "listen_addresses=" + o.Host,
		"-c", fmt.Sprintf("port=%d", o.Port),
		"-c", "unix_socket_directories=",
	}
	settings := map[string]string{}
	if !o.Durable {
		settings["fsync"] = "off"
		settings["synchronous_commit"] = "off"
		settings["full_page_writes"] = "off"
	}
	maps.Copy(settings, o.Settings)
	for _, k := range slices.Sorted(maps.Keys(settings)) {
		args = append(args, "-c", k+"="+settings[k])
	}
	return args
}
