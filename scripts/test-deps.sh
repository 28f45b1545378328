#!/usr/bin/env bash
# The real programs the node tests judge by (docs/node.md), from Debian's packages: coturn's
# turnserver, boost's property_tree (Kurento's configuration reader, compiled by a test),
# systemd-analyze, unshare, curl and g++; and Chromium, the browser of the web pages' tests. Installs only what is missing; needs root (apt-get).
set -euo pipefail
missing=()
command -v turnserver >/dev/null || missing+=(coturn)
[ -f /usr/include/boost/property_tree/ini_parser.hpp ] || missing+=(libboost-dev)
command -v systemd-analyze >/dev/null || missing+=(systemd)
command -v unshare >/dev/null || missing+=(util-linux)
command -v curl >/dev/null || missing+=(curl)
command -v g++ >/dev/null || missing+=(g++)
command -v chromium >/dev/null || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "the node tests need: ${missing[*]} (Debian packages); install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
