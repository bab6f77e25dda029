#!/usr/bin/env bash
# macOS: put dist/Packdesk.app (made by PyInstaller's BUNDLE step of packaging/packdesk.spec)
# into a compressed disk image with a link to /Applications, so the user drags it across.
#     bash packaging/macos/make_dmg.sh DIST VERSION   ->  DIST/Packdesk-VERSION.dmg
# Not signed or notarised (out of scope): the first start needs right-click > Open.
set -euo pipefail
dist="$1"
version="$2"
app="$dist/Packdesk.app"
[ -d "$app" ] || { echo "no $app: build it first (python dev.py package)" >&2; exit 2; }
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
cp -R "$app" "$staging/"
ln -s /Applications "$staging/Applications"
hdiutil create -volname "Packdesk $version" -srcfolder "$staging" -fs HFS+ \
  -format UDZO -ov "$dist/Packdesk-$version.dmg"
