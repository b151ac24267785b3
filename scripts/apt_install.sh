#!/usr/bin/env bash
# apt-get update && apt-get install -y --no-install-recommends PACKAGE..., waiting (up to
# APT_WAIT_S seconds, default 600) for another apt or dpkg (unattended-upgrades, a second setup
# running at the same time) to let go of its locks instead of failing at once.
# Used by scripts/setup.sh --dev and .ci/run.
#
#   apt-get install: -o DPkg::Lock::Timeout waits for the dpkg locks itself;
#   apt-get update:  apt 2.6 ignores that option for /var/lib/apt/lists/lock, so this script
#                    waits until that lock is free (a test-and-release of the same fcntl lock
#                    apt takes) and retries an update that still lost the race (5 tries).
# APT_GET and APT_LISTS_LOCK (default apt-get and /var/lib/apt/lists/lock) are for the tests.
set -euo pipefail
APT_GET="${APT_GET:-apt-get}"
LISTS_LOCK="${APT_LISTS_LOCK:-/var/lib/apt/lists/lock}"
WAIT_S="${APT_WAIT_S:-600}"
PY="${PYTHON:-python3}"
deadline=$(($(date +%s) + WAIT_S))

lock_free() {
  # exit 0 when nobody holds the lock (or the file is not there), 1 while someone does
  "$PY" - "$1" <<'PY'
import fcntl, os, sys
try:
    fd = os.open(sys.argv[1], os.O_RDWR)
except FileNotFoundError:
    sys.exit(0)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
except OSError:
    sys.exit(1)
PY
}

wait_for() {
  local said=0
  until lock_free "$1"; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
      echo "apt_install.sh: $1 still locked after ${WAIT_S}s; giving up" >&2
      return 1
    fi
    [ "$said" = 1 ] || echo "apt_install.sh: waiting for another apt to release $1" >&2
    said=1
    sleep 2
  done
}

tries=0
until wait_for "$LISTS_LOCK" && "$APT_GET" -qq -o DPkg::Lock::Timeout="$WAIT_S" update; do
  # another apt took the lock between the wait and the update (or the update failed for
  # another reason): a few more tries while time is left, then the failure stands
  tries=$((tries + 1))
  if [ "$tries" -ge 5 ] || [ "$(date +%s)" -ge "$deadline" ]; then
    echo "apt_install.sh: apt-get update failed" >&2
    exit 1
  fi
  sleep 2
done
"$APT_GET" install -y -qq --no-install-recommends -o DPkg::Lock::Timeout="$WAIT_S" "$@"
