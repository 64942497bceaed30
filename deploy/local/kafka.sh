#!/usr/bin/env bash
# Apache Kafka, single node in KRaft mode, on 127.0.0.1 — for Fjord's tests and for trying Fjord
# against a real broker. The broker jars come from Maven Central (kafka/pom.xml) and run on the
# machine's Java.
#
#   deploy/local/kafka.sh install   fetch the jars when missing
#   deploy/local/kafka.sh start     install, then start the broker unless it runs already; wait until ready
#   deploy/local/kafka.sh stop      stop the broker this script started (by pid)
#   deploy/local/kafka.sh status    say whether it runs
#   deploy/local/kafka.sh env       print KAFKA_BROKERS=…
#
# start prints KAFKA_BROKERS=… and state=started|running on stdout; progress goes to stderr.
# Settings: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (9093), KAFKA_HEAP (512m).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/common.sh"

KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$here/kafka/pom.xml")
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${KAFKA_HEAP:-512m}"
libs="$FJORD_LOCAL_HOME/kafka-$KAFKA_VERSION/libs"
run="$FJORD_LOCAL_RUN/kafka"
pidfile="$run/kafka.pid"

install() {
  if [ -f "$libs/kafka_2.13-$KAFKA_VERSION.jar" ]; then return 0; fi
  command -v java >/dev/null || die "java is not installed; Kafka needs a Java 17+ runtime"
  command -v mvn >/dev/null || die "mvn is not installed; it fetches the Kafka jars from Maven Central"
  say "kafka: fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $libs"
  local t0=$SECONDS tmp="$libs.tmp.$$"
  rm -rf "$tmp"
  mvn -q -B -f "$here/kafka/pom.xml" dependency:copy-dependencies -DoutputDirectory="$tmp" >&2 \
    || die "mvn could not fetch the Kafka jars (see above)"
  mv "$tmp" "$libs"
  say "kafka: installed in $((SECONDS - t0)) s"
}

write_config() {
  mkdir -p "$run/data" "$run/logs"
  cat >"$run/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$run/data
num.partitions=1
auto.create.topics.enable=false
offsets.topic.replication.factor=1
offsets.topic.num.partitions=8
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
PROPS
}

java_args=("-Xmx$KAFKA_HEAP" "-Xms$KAFKA_HEAP" -XX:+UseG1GC
  "-Dlog4j2.configurationFile=$here/kafka/log4j2.properties" "-Dkafka.logs.dir=$run/logs" -cp "$libs/*")
java_run() { java "${java_args[@]}" "$@"; }

broker_started() { port_open "$KAFKA_PORT" && grep -q 'Kafka Server started' "$run/logs/server.log" 2>/dev/null; }

start() {
  if pid_alive "$pidfile"; then
    echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"; echo "state=running"; return 0
  fi
  if port_open "$KAFKA_PORT"; then die "port $KAFKA_PORT is taken by a process this script did not start; set KAFKA_PORT"; fi
  install
  write_config
  if [ ! -f "$run/data/meta.properties" ]; then
    local id; id=$(java_run kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)
    java_run kafka.tools.StorageTool format -t "$id" -c "$run/server.properties" >"$run/logs/format.log" 2>&1 \
      || { cat "$run/logs/format.log" >&2; die "could not format the Kafka storage in $run/data"; }
  fi
  : >"$run/logs/server.log"
  say "kafka: starting Apache Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (logs: $run/logs)"
  nohup setsid java "${java_args[@]}" kafka.Kafka "$run/server.properties" >"$run/logs/stdout.log" 2>&1 &
  echo $! >"$pidfile"
  if ! wait_for "the Kafka broker" 90 broker_started; then
    tail -20 "$run/logs/server.log" "$run/logs/stdout.log" >&2 || true
    stop_pid kafka "$pidfile"
    die "the Kafka broker did not become ready within 90 s"
  fi
  say "kafka: ready"
  echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"; echo "state=started"
}

case "${1:-}" in
  install) install ;;
  start) start ;;
  stop) stop_pid kafka "$pidfile" ;;
  status) if pid_alive "$pidfile"; then say "kafka: running (pid $(cat "$pidfile"))"; else say "kafka: not running"; exit 1; fi ;;
  env) echo "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT" ;;
  *) say "usage: $0 install|start|stop|status|env"; exit 2 ;;
esac
