#!/bin/sh
# Runs a command inside a private D-Bus session with an unlocked gnome-keyring, under a throwaway
# HOME, so tests use the real Secret Service and never touch the developer's own keychain.
set -eu
if [ "${AXM_IN_KEYRING_SESSION:-}" = 1 ]; then exec "$@"; fi
for tool in dbus-run-session gnome-keyring-daemon; do
  command -v "$tool" >/dev/null 2>&1 || {
    echo "with-keyring: '$tool' is missing; install dbus and gnome-keyring (see README)" >&2
    exit 1
  }
done
AXM_TEST_HOME=$(mktemp -d "${TMPDIR:-/tmp}/axm-test-home.XXXXXX")
trap 'rm -rf "$AXM_TEST_HOME"' EXIT INT TERM
export AXM_TEST_HOME AXM_IN_KEYRING_SESSION=1
export PLAYWRIGHT_BROWSERS_PATH=0
dbus-run-session -- sh -c '
  export HOME="$AXM_TEST_HOME" XDG_DATA_HOME="$AXM_TEST_HOME/.local/share" XDG_RUNTIME_DIR="$AXM_TEST_HOME/run"
  mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
  printf %s axm-test-keyring | gnome-keyring-daemon --unlock --components=secrets >/dev/null
  exec "$@"
' with-keyring "$@"
