#!/bin/sh
# The Debian packages the tests need beyond Python: DejaVu fonts (the result chart's Vietnamese
# text) and headless Chromium with its driver (the dashboard's browser tests). Installs only
# what is missing; needs root (or sudo) the first time.
set -e
missing=""
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing="$missing fonts-dejavu-core"
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v chromedriver >/dev/null 2>&1 || missing="$missing chromium-driver"
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -eq 0 ]; then apt=""; else apt="sudo"; fi
$apt apt-get update -qq
DEBIAN_FRONTEND=noninteractive $apt apt-get install -y -qq $missing
