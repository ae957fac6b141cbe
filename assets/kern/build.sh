#!/bin/sh
# Rebuilds static/kern.css from KERN's SCSS (needs Node and npm; `make run` never does).
# Usage: assets/kern/build.sh [KERN_VERSION]
set -eu
version="${1:-2.7.2}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
npm pack --silent "@kern-ux/native@$version" >/dev/null
tar xzf kern-ux-native-*.tgz
npm install --silent --no-save --prefix "$work/tools" "sass@1.108.2" >/dev/null
{
  echo "/*! KERN UX (@kern-ux/native $version), EUPL-1.2, see kern-LICENSE.md. Subset: assets/kern/fh-kern.scss */"
  "$work/tools/node_modules/.bin/sass" --no-source-map --style=compressed --quiet \
    --load-path="$work/package/src/scss" "$here/fh-kern.scss"
} > "$root/static/kern.css"
cp "$work/package/LICENSE.md" "$root/static/kern-LICENSE.md"
echo "static/kern.css: $(wc -c < "$root/static/kern.css") bytes, $(gzip -c "$root/static/kern.css" | wc -c) gzipped"
