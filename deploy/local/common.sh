# Shared by kafka.sh and s3.sh: where things are installed and where they run.
# FJORD_LOCAL_HOME  installed software (default: ~/.cache/fjord-local)
# FJORD_LOCAL_RUN   data, logs and pid files of running services (default: $TMPDIR/fjord-local)
FJORD_LOCAL_HOME="${FJORD_LOCAL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/fjord-local}"
FJORD_LOCAL_RUN="${FJORD_LOCAL_RUN:-${TMPDIR:-/tmp}/fjord-local}"

say() { printf '%s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# port_open PORT: true when something accepts TCP connections on 127.0.0.1:PORT.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# pid_alive PIDFILE: true when the pid in PIDFILE is a running process.
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# wait_for DESCRIPTION SECONDS COMMAND...: poll COMMAND every 0.2 s until it succeeds.
wait_for() {
  local what=$1 secs=$2; shift 2
  local tries=$((secs * 5))
  while [ "$tries" -gt 0 ]; do
    "$@" && return 0
    sleep 0.2; tries=$((tries - 1))
  done
  return 1
}

# stop_pid NAME PIDFILE: stop the process this script started (TERM, then KILL after 30 s).
stop_pid() {
  local name=$1 pidfile=$2
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; say "$name: not running"; return 0; fi
  local pid; pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_for "$name to stop" 30 bash -c "! kill -0 $pid 2>/dev/null"; then
    say "$name: still running after 30 s, killing pid $pid"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
  say "$name: stopped (pid $pid)"
}
