#!/usr/bin/env bash
# Installs the Debian packages the tests run against (real components, no mocks), unless they are
# installed already: then it does nothing, and asks for no network. Used by `npm run test:all` and .ci/run.
set -euo pipefail

# One package a line; the tests that need it in the comment.
PACKAGES=(
  chromium          # headless browser: test/*/browser.test.ts (Debian's package, never a downloaded browser)
  fonts-dejavu-core # a font for Chromium to lay out the pages and emails with
  postgresql        # the PostgreSQL store's tests start a throw-away cluster (initdb + pg_ctl) on 127.0.0.1
  dovecot-imapd     # bounce mailbox over IMAP: a throw-away Dovecot on 127.0.0.1
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "test-deps: not a Debian/Ubuntu system; install these yourself: ${missing[*]}" >&2
  exit 1
fi
sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "test-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
# The tests start their own throw-away PostgreSQL and Dovecot on 127.0.0.1: keep the packages' system
# services from starting (policy-rc.d exit 101 = "not allowed"), so nothing listens on a public port.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null && "${sudo[@]}" chmod +x "$policy" && created_policy=1
fi
"${sudo[@]}" apt-get install -y -qq "${missing[@]}" >/dev/null
[ "$created_policy" -eq 1 ] && "${sudo[@]}" rm -f "$policy"
exit 0
