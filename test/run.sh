#!/usr/bin/env bash
# Runs the ava suite inside a loopback-only network namespace: Chromium and mDNS
# try to reach the outside otherwise, and no test may send traffic off this machine.
# Inside, a veth pair (both ends in the namespace) gives the server a LAN-like
# address (192.0.2.10, TEST-NET-1) so "never localhost" can be tested.
set -euo pipefail
cd "$(dirname "$0")/.."
# The pinned Node (the `node` devDependency) and ava, also when run outside npm.
export PATH="$PWD/node_modules/.bin:$PATH"
# $NASCAST_NODE: another Node to run the tests on (ava's workers run on the Node that runs
# ava), as `npm run test:node22` does.
ava() { "${NASCAST_NODE:-node}" "$PWD/node_modules/ava/entrypoints/cli.js" "$@"; }

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
  ava "$@"
  exit
fi
if ip link add nc0 type veth peer name nc1 2>/dev/null; then
  ip addr add 192.0.2.10/24 dev nc0
  ip link set nc0 up
  ip link set nc1 up
  export NASCAST_TEST_LAN=192.0.2.10
fi
# The tests that use real mDNS: each runs in a loopback-only namespace of its own (in
# one, ava's parallel files would find each other's simulators).
MDNS_TESTS="test/discovery.test.ts test/mdns-discovery.test.ts test/cast-receiver.test.ts test/homebridge-e2e.test.ts test/independent-senders.test.ts"
is_mdns() { case " $MDNS_TESTS " in *" $1 "*) return 0 ;; esac; return 1; }
if [ "$#" -gt 0 ]; then
  others=()
  mdns=()
  for file in "$@"; do
    if is_mdns "$file"; then mdns+=("$file"); else others+=("$file"); fi
  done
  if [ "${#mdns[@]}" -eq 1 ] && [ "${#others[@]}" -eq 0 ]; then NASCAST_MDNS_NS=1 exec unshare --net bash "$0" "${mdns[0]}"; fi
  if [ "${#others[@]}" -gt 0 ]; then ava "${others[@]}"; fi
  for file in "${mdns[@]}"; do bash "$0" "$file"; done
  exit 0
fi
# Everything: all but the mDNS tests here, then each mDNS file on its own.
ava $(for file in test/*.test.ts; do is_mdns "$file" || echo "$file"; done)
for file in $MDNS_TESTS; do
  NASCAST_MDNS_NS=1 unshare --net bash "$0" "$file"
done
