#!/bin/sh
# Removes what a production node_modules never loads: type declarations, source maps, docs, and
# onnxruntime's native libraries for other operating systems and CPUs (about 250 MB).
# Usage: slim-node-modules.sh <node_modules folder>
set -eu
dir="${1:?usage: slim-node-modules.sh <node_modules folder>}"
find "$dir" -type f \( -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' -o -name '*.map' \
  -o -iname 'README*' -o -iname 'CHANGELOG*' -o -iname 'HISTORY*' -o -name '*.md' -o -name '*.markdown' \) -delete
ort="$dir/onnxruntime-node/bin"
if [ -d "$ort" ]; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) arch="$(uname -m)" ;;
  esac
  for napi in "$ort"/*; do
    for os in "$napi"/*; do
      [ "$(basename "$os")" = linux ] || rm -rf "$os"
    done
    for cpu in "$napi"/linux/*; do
      [ "$(basename "$cpu")" = "$arch" ] || rm -rf "$cpu"
    done
  done
fi
