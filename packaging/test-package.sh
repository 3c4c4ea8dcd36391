#!/usr/bin/env bash
# The Debian package's life on this machine, as an admin lives it (run as root, on a machine without the hotline
# package; CI runs it):
#   build the package and a "newer" one (packaging/build-deb.sh), lintian on it (no error, no warning),
#   apt install it; the user, modes, conffile and units it leaves; systemd-analyze verify and security on the
#   installed units (exposure asserted); hotlined started as the hotline user with the packaged config takes a
#   ticket; hotlinectl finds the database from /etc/hotline/hotline.yaml; a backup with rotation verifies clean;
#   an admin's edit to the config; the upgrade to the newer package keeps the edit and the ticket; remove keeps
#   the data and the user; purge removes them.
#
#   packaging/test-package.sh [--preset release|dev]
#
# The preset's programs are packaged (CI packages the dev build it has just tested rather than compile a third
# time). Everything it starts listens on 127.0.0.1 only; every wait is bounded.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset=release
if [ "${1:-}" = --preset ]; then preset="$2"; fi
max_exposure=2.0

step() { printf '\n== %s\n' "$*"; }
fail() { printf 'test-package: FAILED: %s\n' "$*" >&2; exit 1; }

# It installs, upgrades and purges the package on this machine: root (through sudo when run as another user).
if [ "$(id -u)" -ne 0 ]; then exec sudo "$0" "$@"; fi
if dpkg-query -W -f='${Status}' hotline 2>/dev/null | grep -q installed; then
  fail "the hotline package is installed here; this test would purge it — run it on a scratch machine"
fi
getent passwd hotline >/dev/null && fail "a user 'hotline' exists already; run on a machine without one"

out="$root/build/package-test"
rm -rf "$out"
mkdir -p "$out"
daemon_pid=""
cleanup() {
  if [ -n "$daemon_pid" ]; then kill "$daemon_pid" 2>/dev/null || true; fi
  if dpkg-query -W -f='${Status}' hotline 2>/dev/null | grep -q installed; then
    apt-get purge -y -qq hotline >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

step "build the package and a newer one ($preset preset)"
deb="$("$root/packaging/build-deb.sh" --preset "$preset" --out "$out/old" | tail -n 1)"
version="$(dpkg-deb -f "$deb" Version)"
newer_version="${version}+upgrade1"
newer="$("$root/packaging/build-deb.sh" --preset "$preset" --out "$out/new" --version "$newer_version" | tail -n 1)"
dpkg --compare-versions "$newer_version" gt "$version" || fail "$newer_version is not newer than $version"
echo "$deb ($version), $newer ($newer_version)"
dpkg-deb -f "$deb" Depends | grep -q 'libsqlite3-0' || fail "Depends were not computed from the binaries"

step "lintian"
# (its stderr only says that running as root is not recommended)
lintian --fail-on error,warning --info "$deb" 2>"$out/lintian-stderr.txt" | tee "$out/lintian.txt" ||
  { cat "$out/lintian-stderr.txt"; fail "lintian found errors or warnings"; }
echo "lintian: $(grep -c '^[EW]:' "$out/lintian.txt" || true) error(s) and warning(s)"

step "install"
apt-get install -y -qq --no-install-recommends "$deb" >"$out/install.log" 2>&1 || { cat "$out/install.log"; fail "apt install"; }
[ -x /usr/sbin/hotlined ] || fail "hotlined not installed"
[ -x /usr/bin/hotlinectl ] || fail "hotlinectl not installed"
[ -f /usr/share/hotline/rules/matters.yaml ] || fail "rules not installed"
man -w hotlined >/dev/null || fail "the hotlined man page not found by man"
man -w hotlinectl >/dev/null || fail "the hotlinectl man page not found by man"
getent passwd hotline >/dev/null || fail "no hotline user"
[ "$(stat -c '%U:%G %a' /var/lib/hotline)" = "hotline:hotline 750" ] || fail "/var/lib/hotline: $(stat -c '%U:%G %a' /var/lib/hotline)"
dpkg-query -W -f='${Conffiles}\n' hotline | grep -q '/etc/hotline/hotline.yaml' || fail "hotline.yaml is not a conffile"

step "systemd-analyze verify and security"
systemd-analyze verify /lib/systemd/system/hotline.service /lib/systemd/system/hotline-backup.service \
  /lib/systemd/system/hotline-backup.timer || fail "systemd-analyze verify"
for unit in hotline.service hotline-backup.service; do
  exposure="$(systemd-analyze security --offline=yes "/lib/systemd/system/$unit" 2>&1 |
    sed -n 's/.*Overall exposure level for .*: \([0-9.]*\).*/\1/p')"
  [ -n "$exposure" ] || fail "no exposure score for $unit"
  echo "$unit: exposure $exposure"
  awk -v e="$exposure" -v m="$max_exposure" 'BEGIN { exit !(e <= m) }' || fail "$unit exposure $exposure > $max_exposure"
done

# Starts the installed hotlined as the hotline user with the packaged config on a free loopback port; sets
# daemon_pid and port once it logs that it listens (read from its stderr as it comes, at most 60 s).
start_daemon() {
  local log="$out/hotlined-$1.log"
  # On a machine booted with systemd the package started hotline.service itself (on 127.0.0.1:12345); it holds the
  # database's lock, so stop it for this test's own daemon.
  if [ -d /run/systemd/system ]; then systemctl stop hotline.service; fi
  mkfifo "$out/stderr-$1"
  # setpriv execs hotlined itself (runuser would stay as its parent), so the pid is the daemon's for the signals.
  setpriv --reuid=hotline --regid=hotline --init-groups \
    /usr/sbin/hotlined --config /etc/hotline/hotline.yaml --listen 127.0.0.1:0 2>"$out/stderr-$1" &
  daemon_pid=$!
  port=""
  exec 3<"$out/stderr-$1"
  local line
  while IFS= read -r -t 60 line <&3; do
    echo "$line" >>"$log"
    if [[ "$line" =~ listening\ on\ 127\.0\.0\.1:([0-9]+) ]]; then port="${BASH_REMATCH[1]}"; break; fi
  done
  [ -n "$port" ] || { cat "$log"; fail "hotlined did not start"; }
  cat "$log"
  # Keep draining its stderr so it never blocks on a full pipe.
  cat <&3 >>"$log" &
  exec 3<&-
}
stop_daemon() {
  kill -TERM "$daemon_pid"
  wait "$daemon_pid" || fail "hotlined did not stop cleanly"
  daemon_pid=""
}

step "hotlined as the hotline user takes a ticket"
start_daemon first
curl -sf "http://127.0.0.1:$port/readyz" >/dev/null || fail "/readyz is not 200"
reply="$(curl -sf -X POST "http://127.0.0.1:$port/v1/tickets" -H 'content-type: application/json' \
  -d '{"content":"芗城区胜利路路灯不亮，晚上一片漆黑","type":"投诉"}')" || fail "intake"
ticket="$(sed -n 's/.*"id":"\(ZZ[0-9]*\)".*/\1/p' <<<"$reply")"
[ -n "$ticket" ] || fail "no ticket id in $reply"
echo "ticket $ticket"
[ "$(stat -c '%U %a' /var/lib/hotline/hotline.db)" = "hotline 640" ] || fail "database: $(stat -c '%U %a' /var/lib/hotline/hotline.db)"

step "hotlinectl finds the database from /etc/hotline/hotline.yaml"
runuser -u hotline -- hotlinectl token create --role admin --name package-test >"$out/token" ||
  fail "token create through the packaged config"
runuser -u hotline -- hotlinectl token list | grep -q package-test || fail "token list"
runuser -u hotline -- hotlinectl db backup --into /var/lib/hotline/backups --keep 2 || fail "db backup"
copy="$(find /var/lib/hotline/backups -maxdepth 1 -name 'hotline-*.db' | sort | tail -n 1)"
runuser -u hotline -- hotlinectl db verify --database "$copy" || fail "the backup does not verify"
stop_daemon

step "an admin edits the config; upgrade to $newer_version"
sed -i 's/^  level: info$/  level: debug/' /etc/hotline/hotline.yaml
grep -q '^  level: debug$' /etc/hotline/hotline.yaml || fail "could not edit the config"
apt-get install -y -qq --no-install-recommends "$newer" >"$out/upgrade.log" 2>&1 || { cat "$out/upgrade.log"; fail "upgrade"; }
[ "$(dpkg-query -W -f='${Version}' hotline)" = "$newer_version" ] || fail "not upgraded"
grep -q '^  level: debug$' /etc/hotline/hotline.yaml || fail "the upgrade lost the admin's edit"
start_daemon second
token="$(cat "$out/token")"
curl -sf -H "authorization: Bearer $token" "http://127.0.0.1:$port/v1/tickets/$ticket" | grep -q "\"$ticket\"" ||
  fail "ticket $ticket is gone after the upgrade"
echo "ticket $ticket still there"
stop_daemon

step "remove keeps the data; purge removes it"
apt-get remove -y -qq hotline >"$out/remove.log" 2>&1 || { cat "$out/remove.log"; fail "remove"; }
[ -f /var/lib/hotline/hotline.db ] || fail "remove deleted the database"
getent passwd hotline >/dev/null || fail "remove deleted the user"
apt-get purge -y -qq hotline >"$out/purge.log" 2>&1 || { cat "$out/purge.log"; fail "purge"; }
[ ! -e /var/lib/hotline ] || fail "purge left /var/lib/hotline"
! getent passwd hotline >/dev/null || fail "purge left the hotline user"
! getent group hotline >/dev/null || fail "purge left the hotline group"
[ ! -e /etc/hotline ] || fail "purge left /etc/hotline"

printf '\ntest-package: OK — lintian clean, exposure of both services at most %s, install, ticket, backup, upgrade, remove, purge\n' "$max_exposure"
