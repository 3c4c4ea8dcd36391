#!/usr/bin/env bash
# Builds the Debian package: hotline_<version>_amd64.deb in build/packages/ (see packaging/README.md).
#
#   packaging/build-deb.sh [--preset release] [--version VERSION] [--out DIR]
#
# Configures the preset with the /usr prefix, builds the two programs and the compressed docs (not the tests), and
# runs CPack's DEB generator over the install rules (packaging/package.cmake). --version gives the package another
# version than the project's (the upgrade test builds a "newer" package this way). Prints the .deb's path last.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
preset=release
version=""
out="$root/build/packages"
while [ $# -gt 0 ]; do
  case "$1" in
    --preset) preset="$2"; shift 2 ;;
    --version) version="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "build-deb: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done

cd "$root"
# CMAKE_SKIP_INSTALL_ALL_DEPENDENCY: CPack installs what is built without building every test first.
cmake --preset "$preset" -DCMAKE_INSTALL_PREFIX=/usr -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >/dev/null
cmake --build --preset "$preset" --target hotlined hotlinectl hotline_package_docs
mkdir -p "$out"
args=(--config "build/$preset/CPackConfig.cmake" -B "$out")
if [ -n "$version" ]; then args+=(-D "CPACK_PACKAGE_VERSION=$version"); fi
cpack "${args[@]}" >"$out/cpack.log" 2>&1 || { cat "$out/cpack.log" >&2; exit 1; }
rm -rf "$out/_CPack_Packages"
deb="$(sed -n 's/^CPack: - package: \(.*\.deb\) generated\.$/\1/p' "$out/cpack.log" | tail -n 1)"
if [ -z "$deb" ] || [ ! -f "$deb" ]; then
  cat "$out/cpack.log" >&2
  echo "build-deb: CPack named no package" >&2
  exit 1
fi
echo "$deb"
