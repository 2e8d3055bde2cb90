#!/usr/bin/env bash
# Makes sure the programs test/dbha runs as real processes are installed:
# Patroni (with python3-etcd for its etcd3 DCS), pgBackRest and etcd; and
# btrfs-progs, with which internal/btrfscsi's tests make the file system
# the test cluster's volumes live on. Installs them on Debian when root;
# otherwise says what to install.
set -euo pipefail

packages=(patroni pgbackrest etcd-server python3-etcd btrfs-progs)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q '^install ok installed$'; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

install_cmd="DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${missing[*]}"

if [[ "$(id -u)" != 0 || ! -f /etc/debian_version ]]; then
  cat >&2 <<MSG
ensure-dbha: missing ${missing[*]} (needed by test/dbha and internal/btrfscsi). Install them as root, then re-run:
  apt-get update -qq && $install_cmd
Elsewhere than Debian/Ubuntu, install Patroni 3 with its etcd3 support, pgBackRest and etcd 3.4+
so that /usr/bin/patroni, /usr/bin/patronictl, /usr/bin/pgbackrest and /usr/bin/etcd exist, and
btrfs-progs (mkfs.btrfs, btrfs).
MSG
  exit 1
fi

# The etcd-server package may try to start a system etcd on 2379/2380, the
# ports the cluster tests use (without systemd it normally cannot). Note the
# etcd processes running before the install, so only a new one is stopped.
before=" $({ pgrep -x etcd || true; } | tr '\n' ' ') "

echo "ensure-dbha: installing ${missing[*]}" >&2
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"

for pid in $(pgrep -x etcd || true); do
  if [[ "$before" != *" $pid "* && "$(readlink "/proc/$pid/exe" 2>/dev/null)" == /usr/bin/etcd ]]; then
    echo "ensure-dbha: stopping the system etcd the package started (pid $pid); tests run their own" >&2
    kill "$pid" 2>/dev/null || true
  fi
done
