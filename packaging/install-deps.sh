#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing, packaging and benchmarking hotline needs.
# Idempotent: installs only what is missing and runs `apt-get update` only when something is; then the browser
# tests' node modules (`npm ci` in tests/browser) when they are missing or their lock file changed.
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config          # toolchain
  lld                                       # the linker (cmake/ProjectOptions.cmake): links the test programs fast
  clang-format                              # the format check (.clang-format; tests/check_format.sh)
  clang libclang-rt-14-dev libfuzzer-14-dev # the fuzz preset: clang 14, its sanitizer runtimes and libFuzzer (tests/fuzz)
  libboost1.81-dev libboost-json1.81-dev    # Asio, Beast, JSON (System is header-only in 1.81)
  libsqlite3-dev libfmt-dev libyaml-cpp-dev libspdlog-dev libcli11-dev
  libssl-dev                                # SHA-256 for access-token hashes (libcrypto); https webhooks (libssl)
  libsodium-dev                             # Argon2id hashes of people's passwords (crypto_pwhash)
  libsystemd-dev                            # sd_notify: readiness, status and watchdog under systemd
  systemd                                   # systemd-analyze: the units' exposure scores (packaging/systemd)
  dpkg-dev lintian                          # the Debian package: dpkg-shlibdeps computes its Depends; lintian checks it
  openssl ca-certificates                   # tests make throwaway certificates; the system trust store for https
  libjemalloc-dev                           # hotlined's allocator (cheaper than glibc malloc under load)
  libxlsxwriter-dev                         # the nightly report's XLSX workbooks (found with pkg-config)
  catch2                                    # Catch2 2.13 (Debian's; v3 is not packaged)
  tzdata                                    # Asia/Shanghai for deadlines and ticket numbers
  curl wrk sqlite3                          # README examples and the intake benchmark
  python3                                   # tests/bench/routing_eval.py (routing accuracy on the corpus)
  valgrind                                  # tests/bench/route_instructions.sh (callgrind's instruction counts)
  unzip                                     # report tests look inside the XLSX zip
  chromium fonts-wqy-microhei nodejs        # browser tests (tests/browser): the browser, CJK glyphs, node --test
)
# npm for the browser tests' playwright-core: Debian's package, unless node came with its own (NodeSource's nodejs
# bundles npm and conflicts with Debian's).
if ! command -v npm >/dev/null 2>&1; then packages+=(npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
else
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  echo "install-deps: installing ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The browser tests' node modules (tests/browser/package-lock.json): `npm ci` only when they are missing or the
# lock file changed since the last install (its SHA-256 is kept in a stamp inside node_modules).
browser="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/tests/browser"
stamp="$browser/node_modules/.install-deps.stamp"
lock_sum="$(sha256sum "$browser/package-lock.json" | cut -d' ' -f1)"
if [ -d "$browser/node_modules/playwright-core" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$lock_sum" ]; then
  echo "install-deps: tests/browser node modules up to date"
else
  echo "install-deps: npm ci in tests/browser"
  npm ci --prefix "$browser" --no-audit --no-fund --loglevel=error >/dev/null
  echo "$lock_sum" > "$stamp"
fi
