#!/usr/bin/env bash
# The Python adapter signs with Debian's python3-ecdsa (secp256k1, RFC 6979) and hashes keccak-256
# with python3-pycryptodome; install them with apt when they are missing (as the docs test
# installs Chromium). Without apt or root, the adapter declares sign, recover and request
# unsupported and prints why; the conformance test fails on that only in CI.
set -euo pipefail
python3 -c 'import ecdsa, Crypto.Hash.keccak' 2>/dev/null && exit 0
command -v apt-get >/dev/null 2>&1 || { echo "python adapter: no apt-get; signing stays unsupported" >&2; exit 0; }
sudo=''
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "python adapter: not root and no sudo; signing stays unsupported" >&2; exit 0; }
  sudo='sudo -n'
fi
echo "Installing python3-ecdsa and python3-pycryptodome for the Python conformance adapter (apt-get)..." >&2
$sudo apt-get update -qq >/dev/null || true
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq python3-ecdsa python3-pycryptodome >/dev/null ||
  echo "python adapter: apt-get install failed; signing stays unsupported" >&2
