#!/usr/bin/env bash
# An S3-compatible server on 127.0.0.1 — Versity S3 Gateway (Apache-2.0) with its POSIX backend,
# built from the Go module proxy — for Fjord's tests and for trying Fjord against real S3 calls.
# Objects persist under $FJORD_LOCAL_RUN/s3/root (one directory per bucket).
#
#   deploy/local/s3.sh install   build versitygw when missing (go install, about 1–2 minutes)
#   deploy/local/s3.sh start     install, start the server unless it runs already, create the bucket
#   deploy/local/s3.sh stop      stop the server this script started (by pid)
#   deploy/local/s3.sh status    say whether it runs
#   deploy/local/s3.sh env       print S3_ENDPOINT=… and the credentials
#
# start prints the S3_* settings and state=started|running on stdout; progress goes to stderr.
# Settings: S3_PORT (7070), S3_BUCKET (fjord), S3_ACCESS_KEY_ID / S3_SECRET_ACCESS_KEY.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

VERSITYGW_VERSION=v1.8.0
S3_PORT="${S3_PORT:-7070}"
S3_BUCKET="${S3_BUCKET:-fjord}"
S3_ACCESS_KEY_ID="${S3_ACCESS_KEY_ID:-fjord}"
S3_SECRET_ACCESS_KEY="${S3_SECRET_ACCESS_KEY:-fjord-local-secret}"
bin="$FJORD_LOCAL_HOME/versitygw-$VERSITYGW_VERSION/versitygw"
run="$FJORD_LOCAL_RUN/s3"
pidfile="$run/versitygw.pid"

install() {
  if [ -x "$bin" ]; then return 0; fi
  command -v go >/dev/null || die "go is not installed; it builds versitygw from the Go module proxy"
  say "s3: building Versity S3 Gateway $VERSITYGW_VERSION (go install) into $(dirname "$bin")"
  local t0=$SECONDS
  GOBIN="$(dirname "$bin")" go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION" >&2 \
    || die "go install of versitygw failed (see above)"
  say "s3: installed in $((SECONDS - t0)) s"
}

print_env() {
  echo "S3_ENDPOINT=http://127.0.0.1:$S3_PORT"
  echo "S3_BUCKET=$S3_BUCKET"
  echo "S3_REGION=us-east-1"
  echo "S3_ACCESS_KEY_ID=$S3_ACCESS_KEY_ID"
  echo "S3_SECRET_ACCESS_KEY=$S3_SECRET_ACCESS_KEY"
}

# create_bucket: PUT /<bucket>, signed with SigV4 by curl; an existing bucket is fine.
create_bucket() {
  local code
  code=$(curl -s -o "$run/logs/create-bucket.out" -w '%{http_code}' -X PUT \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_ACCESS_KEY_ID:$S3_SECRET_ACCESS_KEY" \
    -H 'x-amz-content-sha256: UNSIGNED-PAYLOAD' "http://127.0.0.1:$S3_PORT/$S3_BUCKET")
  case "$code" in
    200|409) ;;
    *) cat "$run/logs/create-bucket.out" >&2; die "could not create bucket $S3_BUCKET (HTTP $code)" ;;
  esac
}

start() {
  mkdir -p "$run/root" "$run/logs"
  if pid_alive "$pidfile"; then create_bucket; print_env; echo "state=running"; return 0; fi
  if port_open "$S3_PORT"; then die "port $S3_PORT is taken by a process this script did not start; set S3_PORT"; fi
  install
  say "s3: starting versitygw on 127.0.0.1:$S3_PORT (data: $run/root, logs: $run/logs)"
  ROOT_ACCESS_KEY_ID="$S3_ACCESS_KEY_ID" ROOT_SECRET_ACCESS_KEY="$S3_SECRET_ACCESS_KEY" \
    nohup setsid "$bin" --port "127.0.0.1:$S3_PORT" --quiet posix "$run/root" >"$run/logs/versitygw.log" 2>&1 &
  echo $! >"$pidfile"
  if ! wait_for "versitygw" 30 port_open "$S3_PORT"; then
    tail -20 "$run/logs/versitygw.log" >&2 || true
    stop_pid s3 "$pidfile"
    die "versitygw did not listen on $S3_PORT within 30 s"
  fi
  create_bucket
  say "s3: ready, bucket $S3_BUCKET"
  print_env; echo "state=started"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop_pid s3 "$pidfile" ;;
  status) if pid_alive "$pidfile"; then say "s3: running (pid $(cat "$pidfile"))"; else say "s3: not running"; exit 1; fi ;;
  env) print_env ;;
  *) say "usage: $0 install|start|stop|status|env"; exit 2 ;;
esac
