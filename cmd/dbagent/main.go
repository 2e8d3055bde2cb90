// Command dbagent runs beside Patroni in every PostgreSQL pod: on the
// leader it keeps the services' roles and databases in line with their
// password files and takes pgBackRest backups; on every member it exports
// the backup repository's state (serve, the default). `dbagent snapshot`,
// run by a CronJob, snapshots the leader's volume and prunes old snapshots.
package main

import (
	"github.com/shipshape-dev/shipshape/internal/dbagent"
	"github.com/shipshape-dev/shipshape/internal/dbsnapshot"
	"github.com/shipshape-dev/shipshape/internal/platform/cli"
)

func main() { cli.Exit("dbagent", dbagent.Command(), dbsnapshot.Command()) }
