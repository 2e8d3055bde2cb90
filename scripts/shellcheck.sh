#!/usr/bin/env bash
# Runs shellcheck (rules in .shellcheckrc) on every shell script in the
# repository: files ending in .sh and files whose first line is a sh or
# bash shebang, tracked or new. Installs Debian's shellcheck when missing
# and root; otherwise says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v shellcheck >/dev/null 2>&1; then
	if [[ "$(id -u)" == 0 && -f /etc/debian_version ]]; then
		echo "shellcheck: installing Debian's shellcheck" >&2
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends shellcheck >/dev/null
	else
		echo "shellcheck: not installed; install it (Debian: apt-get install shellcheck) and re-run" >&2
		exit 1
	fi
fi

scripts=()
while IFS= read -r -d '' f; do
	[[ -f $f ]] || continue
	if [[ $f == *.sh ]] || head -n1 "$f" | grep -Eq '^#!(/usr/bin/env |/bin/)(ba)?sh\b'; then
		scripts+=("$f")
	fi
done < <(git ls-files -z --cached --others --exclude-standard -- ':!:web/node_modules' ':!:*.md' ':!:*.go' ':!:*.ts' ':!:*.tsx' ':!:*.json' ':!:*.yaml')
shellcheck -x "${scripts[@]}"
echo "shellcheck: ${#scripts[@]} scripts clean"
