#!/usr/bin/env bash
# The real programs the node tests judge by (docs/node.md), from Debian's packages: coturn's
# turnserver, boost's property_tree (Kurento's configuration reader, compiled by a test),
# systemd-analyze, unshare, curl and g++; Chromium, the browser of the web pages' tests; GStreamer (kvs-relay). Installs only what is missing; needs root (apt-get).
set -euo pipefail
missing=()
command -v turnserver >/dev/null || missing+=(coturn)
[ -f /usr/include/boost/property_tree/ini_parser.hpp ] || missing+=(libboost-dev)
command -v systemd-analyze >/dev/null || missing+=(systemd)
command -v unshare >/dev/null || missing+=(util-linux)
command -v curl >/dev/null || missing+=(curl)
command -v g++ >/dev/null || missing+=(g++)
command -v chromium >/dev/null || missing+=(chromium)
command -v ffmpeg >/dev/null || missing+=(ffmpeg)
# The kvs-relay tests: gst-launch-1.0 running the relay pipeline against a fake RTSP camera
# (GStreamer's RTSP server through Debian's python3-gi, test/support/fake-rtsp-camera.py).
gst_has() { command -v gst-inspect-1.0 >/dev/null && gst-inspect-1.0 --exists "$1"; }
command -v gst-launch-1.0 >/dev/null || missing+=(gstreamer1.0-tools)
gst_has videotestsrc || missing+=(gstreamer1.0-plugins-base)
gst_has rtspsrc || missing+=(gstreamer1.0-plugins-good)
gst_has h264parse || missing+=(gstreamer1.0-plugins-bad)
gst_has x264enc || missing+=(gstreamer1.0-plugins-ugly)
/usr/bin/python3 -c 'import gi; gi.require_version("GstRtspServer", "1.0")' 2>/dev/null || missing+=(python3-gi gir1.2-gst-rtsp-server-1.0)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "the node tests need: ${missing[*]} (Debian packages); install them as root: apt-get install ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
