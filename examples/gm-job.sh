#!/bin/sh
# One GraphicsMagick job (the OpenMP-parallel convert of Debian's gm): an
# 800x800 gradient, swirled, blurred, resized and sharpened; then the first
# 48 bits of the result's pixel signature as a number, for exec --check.
set -e
out=$(mktemp /tmp/gm-out.XXXXXX.miff)
gm convert -size 800x800 gradient:red-blue -swirl 300 -blur 0x4 -resize 150% -sharpen 0x2 "$out"
sig=$(gm identify -format '%#' "$out")
rm -f "$out"
printf 'signature48=%d\n' "0x$(printf %s "$sig" | cut -c1-12)"
