#!/usr/bin/env bash
# Build the course's website from the committed notebooks (nothing is executed) into build/site/_build/html:
#   bash scripts/build_site.sh            # build
#   bash scripts/build_site.sh --check    # build, then open every page in headless Chromium (site/check.py)
#   bash scripts/build_site.sh --setup    # only make .venv-site and fetch MathJax (.ci/run, in the background)
# Needs, besides Python: npm (MathJax comes from the npm registry once, then from build/site-cache) and, for
# --check, chromium and chromedriver (Debian's packages; .ci/run installs them). Its own environment,
# .venv-site, is made from requirements-site.txt by scripts/setup_env.sh. Everything it writes is under
# build/ (git-ignored) or in .venv-site/: the repository stays as it was.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
check=0 setup_only=0
for arg in "$@"; do
  case "$arg" in
    --check) check=1 ;;
    --setup) setup_only=1 ;;
    *) echo "usage: bash scripts/build_site.sh [--check | --setup]" >&2; exit 2 ;;
  esac
done

export AUTOENCODERS_VENV="$ROOT/.venv-site" AUTOENCODERS_REQUIREMENTS="$ROOT/requirements-site.txt"
# shellcheck disable=SC1091
source "$ROOT/scripts/setup_env.sh"
cd "$ROOT"
start=$(date +%s)
BUILD="$ROOT/build/site"
SRC="$BUILD/src"

# MathJax, served by the site itself: the npm package's one-file build and its fonts, in _static/mathjax.
MATHJAX_VERSION=3.2.2
cache="$ROOT/build/site-cache"
tarball="$cache/mathjax-$MATHJAX_VERSION.tgz"
if [ ! -s "$tarball" ]; then
  mkdir -p "$cache"
  (cd "$cache" && npm pack --silent "mathjax@$MATHJAX_VERSION" > /dev/null)
fi
if [ "$setup_only" = 1 ]; then exit 0; fi

python site/prepare.py "$SRC"
mathjax="$BUILD/mathjax"
rm -rf "$mathjax" && mkdir -p "$mathjax"
tar -xzf "$tarball" -C "$mathjax" --strip-components=2 package/es5/tex-chtml-full.js \
  package/es5/output/chtml/fonts/woff-v2

# Sphinx writes build/site/_build/html, anew each time (no page of a notebook since removed stays behind);
# a warning fails the build (--keep-going lists them all first).
HTML="$BUILD/_build/html"
rm -rf "$BUILD/_build"
if ! jupyter-book build "$SRC" --path-output "$BUILD" --builder html --warningiserror --keep-going --quiet \
     > "$BUILD/jupyter-book.log"; then  # its banner, in the log; warnings and errors go to the terminal
  cat "$BUILD/jupyter-book.log"
  echo "error: the site's build failed (build/site/jupyter-book.log)" >&2
  exit 1
fi
mkdir -p "$HTML/_static/mathjax"
cp -r "$mathjax/." "$HTML/_static/mathjax/"
echo "==> site built in $(( $(date +%s) - start )) s: build/site/_build/html/index.html" \
     "(to read it: python -m http.server -d build/site/_build/html, then open http://localhost:8000)"

if [ "$check" = 1 ]; then
  python site/check.py "$HTML" --screenshots "$ROOT/build/site-screenshots"
fi
