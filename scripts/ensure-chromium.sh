#!/usr/bin/env bash
# The docs site test renders the built site in Debian's Chromium; install it when it is missing.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
sudo=''
if [ "$(id -u)" -ne 0 ]; then sudo='sudo'; fi
echo "Installing Debian's chromium for the docs site test (apt-get)..." >&2
$sudo apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium >/dev/null
