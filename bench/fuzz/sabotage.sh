#!/usr/bin/env bash
# Proves that each fuzz target and hostile test can fail: breaks one invariant at a time in the main code (a
# one-line sed), runs the test that guards it in regression mode (seed corpus only), expects a failure, restores
# the file. Usage: bench/fuzz/sabotage.sh [FILTER]. Prints one line per sabotage: CAUGHT or MISSED.
set -uo pipefail
cd "$(dirname "$0")/../.."
FILTER=${1:-.}
C=common/src/main/java/io/tt/common
S=server-verticle/src/main/java/io/tt/server/fakesite
# name | file | sed expression | test pattern
CASES=(
  "decoder delivers a frame whose body failed|$C/wire/FrameDecoder.java|s/    if (!ok) {/    if (!ok \&\& state == State.HEADER) {/|FrameDecoderFuzzTest"
  "no probe shortcut for a short first segment|$C/wire/ServerHandshake.java|s/      return reject(Rejection.PROBE);/      received.clear();/|ServerHandshakeFuzzTest#anyFirstBytes"
  "timestamp window ignored|$C/wire/ServerHandshake.java|s/if (!withinWindow(/if (false \&\& !withinWindow(/|ServerHandshakeFuzzTest#validPrefix"
  "client accepts a reply echoing another salt|$C/wire/ServerResponse.java|s/if (!MessageDigest.isEqual(echo, expectedSalt))/if (false)/|ClientHandshakeFuzzTest"
  "empty SOCKS5 domain accepted|$C/proxy/TargetAddress.java|s/        if (len == 0) {/        if (len < 0) {/|WireDecodeFuzzTest"
  "SOCKS5 CONNECT to port 0 accepted|$C/proxy/Socks5ServerHandshake.java|s/    if (target.port() == 0) {/    if (target.port() < 0) {/|ProxyHandshakeFuzzTest"
  "request framer forwards past Content-Length|$C/proxy/http/HttpRequestFramer.java|73s/Math.min(remaining, in.readableBytes())/in.readableBytes()/|HttpFramersFuzzTest#requests"
  "response framer drops a gathered head part|$C/proxy/http/HttpResponseFramer.java|s/      raw = headCopy;/      raw = in.slice(start, used);/|HttpFramersFuzzTest#responses"
  "fake site has no 405 page (exception swallowed)|$S/NginxPages.java|s/            case 405: return \"405 Not Allowed\";//|FakeSiteFuzzTest"
  "fake site stops looking like nginx 1.24.0|$S/NginxPages.java|s/\"nginx\/1.24.0\"/\"nginx\/1.25.0\"/|HostileServerTest#plain*"
  "proxy answers BIND as refused instead of unsupported|$C/proxy/Socks5ServerHandshake.java|s/return Socks5ReplyCode.COMMAND_NOT_SUPPORTED;/return Socks5ReplyCode.CONNECTION_REFUSED;/|HostileProxyTest#malformedSocks5*"
)
for c in "${CASES[@]}"; do
  IFS='|' read -r name file expr test <<<"$c"
  grep -qE -- "$FILTER" <<<"$name $test" || continue
  cp "$file" /tmp/sabotage.bak
  sed -i "$expr" "$file"
  if cmp -s "$file" /tmp/sabotage.bak; then
    echo "NOT APPLIED  $name"
    continue
  fi
  if mvn -o -q -pl common,server-verticle,client-verticle -am test -Dtest="$test" \
      -Dsurefire.failIfNoSpecifiedTests=false > /tmp/sabotage.log 2>&1; then
    echo "MISSED       $name ($test)"
  else
    echo "CAUGHT       $name ($test): $(grep -aE 'ERROR\]   ' /tmp/sabotage.log | head -1 | cut -c1-160)"
  fi
  cp /tmp/sabotage.bak "$file"
done
git diff --quiet -- common/src/main server-verticle/src/main || echo "WARNING: main code differs from git"
