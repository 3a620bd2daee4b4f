#!/usr/bin/env bash
# Runs the ava suite inside a loopback-only network namespace: Chromium and mDNS
# try to reach the outside otherwise, and no test may send traffic off this machine.
# Inside, a veth pair (both ends in the namespace) gives the server a LAN-like
# address (192.0.2.10, TEST-NET-1) so "never localhost" can be tested.
set -euo pipefail
cd "$(dirname "$0")/.."
# The pinned Node (the `node` devDependency) and ava, also when run outside npm.
export PATH="$PWD/node_modules/.bin:$PATH"

if [ "${NASCAST_NETNS:-}" != "1" ]; then
  if [ "$(id -u)" = "0" ]; then
    exec unshare --net env NASCAST_NETNS=1 bash "$0" "$@"
  else
    exec unshare --net --map-root-user env NASCAST_NETNS=1 bash "$0" "$@"
  fi
fi

ip link set lo up
# mDNS tests get a namespace of their own with nothing but loopback: with the veth
# below, multicast-dns sends on the veth and the simulators never hear each other.
if [ "${NASCAST_MDNS_NS:-}" = 1 ]; then
  exec ava "$@"
fi
if ip link add nc0 type veth peer name nc1 2>/dev/null; then
  ip addr add 192.0.2.10/24 dev nc0
  ip link set nc0 up
  ip link set nc1 up
  export NASCAST_TEST_LAN=192.0.2.10
fi
# The tests that use real mDNS.
MDNS_TESTS="test/discovery.test.ts test/cast-receiver.test.ts test/homebridge-e2e.test.ts"
case " $* " in
  *discovery.test.ts* | *cast-receiver.test.ts* | *homebridge-e2e.test.ts*)
    if [ "$#" -gt 1 ]; then
      for file in "$@"; do bash "$0" "$file"; done
      exit 0
    fi
    NASCAST_MDNS_NS=1 exec unshare --net bash "$0" "$@" ;;
  "  ") ;;
  *) exec ava "$@" ;;
esac
# Everything: all but the mDNS tests here, then each mDNS file in a loopback-only
# namespace of its own (in one, ava's parallel files would find each other's simulators).
ava $(ls test/*.test.ts | grep -v -e discovery.test.ts -e cast-receiver.test.ts -e homebridge-e2e.test.ts)
for file in $MDNS_TESTS; do
  NASCAST_MDNS_NS=1 unshare --net bash "$0" "$file"
done
