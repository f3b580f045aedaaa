#!/usr/bin/env bash
# Build the course's website from the committed notebooks (nothing is executed) into build/site/_build/html:
#   bash scripts/build_site.sh            # build
#   bash scripts/build_site.sh --check    # build, then open every page in headless Chromium (course.site.check)
# Its own environment, .venv-site, and MathJax come from bash scripts/setup_env.sh site (run here); --check needs
# chromium and chromedriver (bash scripts/setup_env.sh chromium). The latent explorer's data (the decoders'
# weights and the maps' codes, course.site.latent) are read from weights/ with TensorFlow, in .venv (made here by
# setup_env.sh main if needed), from the MNIST data (AUTOENCODERS_DATA_DIR, ../shared/data, or Keras' download).
# Everything it writes is under build/ (git-ignored) or in .venv*/: the repository stays as it was.
set -euo pipefail
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: bash scripts/build_site.sh [--check]" >&2; exit 2 ;;
esac
bash "$(dirname "${BASH_SOURCE[0]}")/setup_env.sh" main
source "$(dirname "${BASH_SOURCE[0]}")/setup_env.sh" site
cd "$ROOT"
start=$(date +%s)
BUILD="$ROOT/build/site"
HTML="$BUILD/_build/html"
python -m course.site.prepare "$BUILD/src"
# The explorer's data, exported while Jupyter Book builds (it needs TensorFlow, so .venv); copied in below.
rm -rf "$BUILD/latent"
"$ROOT/.venv/bin/python" -m course.site.latent "$BUILD/latent" --reference "$BUILD/latent-reference.json" \
  > "$BUILD/latent.log" 2>&1 &
latent=$!
# Sphinx writes the HTML anew each time (no page of a notebook since removed stays behind); a warning fails the
# build (--keep-going lists them all first). Its banner goes to the log; warnings and errors to the terminal.
rm -rf "$BUILD/_build"
if ! jupyter-book build "$BUILD/src" --path-output "$BUILD" --builder html --warningiserror --keep-going --quiet \
     > "$BUILD/jupyter-book.log"; then
  cat "$BUILD/jupyter-book.log"
  echo "error: the site's build failed (build/site/jupyter-book.log)" >&2
  kill "$latent" 2> /dev/null || true
  exit 1
fi
if ! wait "$latent"; then
  cat "$BUILD/latent.log"
  echo "error: the latent explorer's data could not be exported (build/site/latent.log)" >&2
  exit 1
fi
grep "==>" "$BUILD/latent.log"
cp -r "$BUILD/latent" "$HTML/_static/latent"
# MathJax, served by the site itself: the npm package's one-file build and its fonts, in _static/mathjax
mkdir -p "$HTML/_static/mathjax"
tar -xzf "$MATHJAX" -C "$HTML/_static/mathjax" --strip-components=2 package/es5/tex-chtml-full.js \
  package/es5/output/chtml/fonts/woff-v2
echo "==> site built in $(( $(date +%s) - start )) s: build/site/_build/html/index.html" \
     "(to read it: python -m http.server -d build/site/_build/html, then open http://localhost:8000)"
if [ "$check" = 1 ]; then
  tar -xzf "$AXE" -C "$BUILD" --strip-components=1 package/axe.min.js  # axe-core, for the accessibility check
  python -m course.site.check "$HTML" --axe "$BUILD/axe.min.js" --screenshots "$ROOT/build/site-screenshots" \
    --reference "$BUILD/latent-reference.json"
fi
