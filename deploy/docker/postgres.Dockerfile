# syntax=docker/dockerfile:1
# PostgreSQL 15 from Debian's packages:
#   docker build -f deploy/docker/postgres.Dockerfile -t shipshape/postgres:dev .
# The package list is postgres.packages; the test cluster builds the same
# list without Docker (test/cluster/images.sh). Debian's layout: binaries in
# /usr/lib/postgresql/15/bin, user postgres = uid/gid 999 (the StatefulSet
# runs as 999). No cluster is created here: the StatefulSet's bootstrap
# init container creates it on the data volume.
FROM debian:bookworm-slim
RUN groupadd --system --gid 999 postgres \
 && useradd --system --uid 999 --gid 999 --home-dir /var/lib/postgresql --shell /bin/bash postgres \
 && mkdir -p /etc/postgresql-common/createcluster.d \
 && echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/shipshape.conf
COPY deploy/docker/postgres.packages /tmp/postgres.packages
RUN apt-get update \
 && grep -v '^#' /tmp/postgres.packages | xargs apt-get install -y --no-install-recommends \
 && rm -rf /var/lib/apt/lists/* /tmp/postgres.packages
USER 999:999
ENV PGDATA=/var/lib/postgresql/data/pgdata
EXPOSE 5432
CMD ["/usr/lib/postgresql/15/bin/postgres", "-c", "config_file=/etc/postgresql/postgresql.conf"]
