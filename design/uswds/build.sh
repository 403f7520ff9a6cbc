#!/bin/sh
# Rebuild the vendored USWDS stylesheet from terbuka-uswds.scss (run by `make css`).
# Needs node and npm; installs the pinned packages of package-lock.json into node_modules/.
set -eu
cd "$(dirname "$0")"
OUT=../../src/terbuka_web/common/static/vendor/uswds
npm ci --no-audit --no-fund --ignore-scripts
mkdir -p "$OUT"
rm -rf "$OUT/img"
npx sass --no-source-map --style=compressed --load-path=node_modules/@uswds/uswds/packages \
  terbuka-uswds.scss "$OUT/terbuka-uswds.css"
# Copy only the images the stylesheet refers to.
grep -o 'url("img/[^")]*")' "$OUT/terbuka-uswds.css" | sed 's/^url("img\///; s/")$//' | sort -u |
  while read -r image; do
    mkdir -p "$OUT/img/$(dirname "$image")"
    cp "node_modules/@uswds/uswds/dist/img/$image" "$OUT/img/$image"
  done
cp node_modules/@uswds/uswds/LICENSE.md "$OUT/LICENSE.md"
echo "built $OUT/terbuka-uswds.css: $(wc -c <"$OUT/terbuka-uswds.css") bytes, $(gzip -9c "$OUT/terbuka-uswds.css" | wc -c) gzipped"
