#!/usr/bin/env bash
# Makes sure a Redis server answers on 127.0.0.1:6379 (the tests of the shared page cache and
# of several app instances use the real one), installing and starting it if needed.
set -euo pipefail
answers() { (exec 3<>/dev/tcp/127.0.0.1/6379 && printf 'PING\r\n' >&3 && head -c 5 <&3 | grep -q PONG) 2>/dev/null; }
if answers; then
    exit 0
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! command -v redis-server >/dev/null; then
    echo "Installing Redis"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq redis-server >/dev/null
fi
echo "Starting Redis on 127.0.0.1:6379 (nothing kept on disk)"
$sudo redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile ""
for _ in $(seq 1 30); do
    answers && exit 0
    sleep 1
done
echo "Redis did not start on 127.0.0.1:6379" >&2
exit 1
