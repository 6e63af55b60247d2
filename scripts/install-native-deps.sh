#!/usr/bin/env bash
# Makes TorchSharp 0.107's native library loadable on this machine.
#
# TorchSharp 0.107 (LibTorch 2.10) needs a libstdc++ that provides GLIBCXX_3.4.32 (GCC 13 or newer).
# Debian 12 "bookworm" ships GCC 12's libstdc++ (up to GLIBCXX_3.4.30), so loading the native library
# fails with "version `GLIBCXX_3.4.32' not found".
#
# What this script does, and only when it is needed:
#   * nothing, if the system libstdc++ already exports GLIBCXX_3.4.32 (Debian 13, Ubuntu 24.04, ...);
#   * on Debian 12: adds an apt source for the `trixie` suite that reuses the mirror this machine is
#     already configured with, pins that suite at priority 100 (so no other package moves on a plain
#     `apt-get upgrade`), and installs `libstdc++6` from it (this also lifts libc6);
#   * anywhere else: prints what to do and exits non-zero.
# It is idempotent: running it again changes nothing. It needs root (or sudo) only when it installs.
set -euo pipefail

need=GLIBCXX_3.4.32

find_libstdcxx() {
  local candidates=(/usr/lib/x86_64-linux-gnu/libstdc++.so.6 /usr/lib/aarch64-linux-gnu/libstdc++.so.6 /usr/lib64/libstdc++.so.6 /usr/lib/libstdc++.so.6)
  local c
  if command -v ldconfig >/dev/null 2>&1; then
    c=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 / {print $NF; exit}')
    [ -n "${c:-}" ] && [ -e "$c" ] && { echo "$c"; return; }
  fi
  for c in "${candidates[@]}"; do [ -e "$c" ] && { echo "$c"; return; }; done
  return 1
}

has_symbol() {
  local lib
  lib=$(find_libstdcxx) || return 1
  grep -qa "$need" "$lib"
}

if has_symbol; then
  echo "install-native-deps: libstdc++ already provides $need; nothing to do."
  exit 0
fi

. /etc/os-release 2>/dev/null || true
if [ "${ID:-}" != "debian" ] || [ "${VERSION_CODENAME:-}" != "bookworm" ]; then
  cat >&2 <<MSG
install-native-deps: the system libstdc++ lacks $need, which TorchSharp 0.107 needs.
This script automates the fix on Debian 12 only. On other systems install a libstdc++ from GCC 13 or
newer, for example:
  * Ubuntu 22.04: sudo add-apt-repository ppa:ubuntu-toolchain-r/test && sudo apt-get install libstdc++6
  * or upgrade to Debian 13 / Ubuntu 24.04, whose libstdc++ already has it.
MSG
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "install-native-deps: needs root (or sudo) to install libstdc++6" >&2; exit 1; }
  SUDO="sudo"
fi

src=/etc/apt/sources.list.d/btw-trixie.sources
pin=/etc/apt/preferences.d/btw-trixie

# Reuse the URI of the first configured stanza that serves the main Debian archive (not -security).
mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '
    /^[[:space:]]*$/ { if (uri != "" && suites ~ /bookworm( |$)/) { print uri; exit } uri=""; suites=""; next }
    /^URIs:/ { uri=$2 }
    /^Suites:/ { $1=""; suites=$0 }
    END { if (uri != "" && suites ~ /bookworm( |$)/) print uri }' /etc/apt/sources.list.d/debian.sources | head -n 1)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $3 == "bookworm" { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:/) { print $i; exit } }' /etc/apt/sources.list | head -n 1)
fi
if [ -z "$mirror" ]; then
  echo "install-native-deps: could not find the configured Debian mirror in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list" >&2
  exit 1
fi

want_src="Types: deb
URIs: $mirror
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
want_pin="Package: *
Pin: release n=trixie
Pin-Priority: 100"

if [ ! -f "$src" ] || [ "$(cat "$src")" != "$want_src" ]; then
  printf '%s\n' "$want_src" | $SUDO tee "$src" >/dev/null
fi
if [ ! -f "$pin" ] || [ "$(cat "$pin")" != "$want_pin" ]; then
  printf '%s\n' "$want_pin" | $SUDO tee "$pin" >/dev/null
fi

echo "install-native-deps: installing libstdc++6 from trixie (pinned at priority 100)..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq -t trixie libstdc++6 >/dev/null

if has_symbol; then
  echo "install-native-deps: done; libstdc++ now provides $need."
else
  echo "install-native-deps: installed libstdc++6 but $need is still missing" >&2
  exit 1
fi
