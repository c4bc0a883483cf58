#!/usr/bin/env bash
# Builds the cq-connect image with podman, without Docker Hub, and runs a sync inside it:
#   1. a JRE base image from Debian packages (mmdebstrap, imported with `podman import`; cached);
#   2. a Kafka base image on it: Kafka's jars from Maven Central (docker/worker/pom.xml) and
#      launchers laid out like the official image (kafka-base/Containerfile);
#   3. the project's image: docker/Dockerfile with KAFKA_IMAGE set to that base;
#   4. a KRaft broker (Kafka base image) and the worker (project image), both on the host's network;
#      creates the demo source connector (docker/connectors/demo-source.json) and checks that its
#      rows arrive in demo.demo_events and demo.demo_users; with fixtures/bin/cq-source-test built,
#      also CloudQuery's own test source, mounted into the container as a real plugin binary.
#
# Usage: docker/podman/build-and-run.sh [--rebuild-base] [--skip-maven] [--skip-run] [--keep]
#   --rebuild-base   re-create the JRE base image (mmdebstrap) even when cached
#   --skip-maven     use docker/target/ as it is (default: `mvn package -pl docker -am` when the
#                    plugin directory is missing)
#   --skip-run       stop after building the images (e.g. before podman-compose, see README)
#   --keep           leave broker and worker running at the end (stop: podman rm -f -v cq-image-kafka
#                    cq-image-connect)
# Environment: CQ_IMAGE_CACHE (rootfs tarball and build context; default
# ${XDG_CACHE_HOME:-$HOME/.cache}/cq-connect-image), CQ_DEBIAN_SOURCES (an apt sources file for
# mmdebstrap; default the machine's /etc/apt/sources.list.d/debian.sources, else
# /etc/apt/sources.list), CQ_DEBIAN_SUITE (bookworm), CQ_JRE_PACKAGE (openjdk-17-jre-headless),
# CQ_IMAGE_KAFKA_PORT (39092), CQ_IMAGE_CONTROLLER_PORT (39093), CQ_IMAGE_REST_PORT (38083).
# Exit status: 0 sync checked; 1 a build or sync failure; 3 podman cannot run containers on this
# machine (the reason is printed; .ci/run reports it without failing).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
rebuild_base=0
skip_maven=0
keep=0
skip_run=0
for arg in "$@"; do
  case $arg in
    --rebuild-base) rebuild_base=1 ;;
    --skip-maven) skip_maven=1 ;;
    --keep) keep=1 ;;
    --skip-run) skip_run=1 ;;
    *)
      echo "unknown argument '$arg'; usage: $0 [--rebuild-base] [--skip-maven] [--skip-run] [--keep]" >&2
      exit 2
      ;;
  esac
done

fail() {
  echo "build-and-run: $*" >&2
  exit 1
}
cannot_run() {
  echo "build-and-run: podman cannot run containers here: $*" >&2
  exit 3
}
step() { echo "== $(date -u +%T) $*"; }

for tool in podman runc mmdebstrap mvn curl; do
  command -v "$tool" >/dev/null ||
    fail "'$tool' not found; install: apt-get install -y podman catatonit runc mmdebstrap uidmap fuse-overlayfs slirp4netns curl (and Maven)"
done
export CONTAINERS_CONF=$here/containers.conf

version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' "$root/pom.xml" | head -n 1)
kafka_version=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$root/pom.xml" | head -n 1)
[ -n "$version" ] && [ -n "$kafka_version" ] || fail "cannot read the project or Kafka version from $root/pom.xml"
suite=${CQ_DEBIAN_SUITE:-bookworm}
jre_package=${CQ_JRE_PACKAGE:-openjdk-17-jre-headless}
jre_image=localhost/cq-jre:$suite
kafka_image=localhost/cq-kafka:$kafka_version
image=localhost/cq-connect:$version
cache=${CQ_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cq-connect-image}
mkdir -p "$cache"

# 0. Can podman run a container at all? (Distinguishes "this machine cannot" from image failures.)
step "podman $(podman --version | awk '{print $3}'), runtime runc, host network ($CONTAINERS_CONF)"
if ! probe=$(podman info --format '{{.Host.OCIRuntime.Name}} {{.Host.CgroupsVersion}}' 2>&1); then
  cannot_run "podman info failed: $probe"
fi

# 1. JRE base image from Debian packages.
rootfs=$cache/rootfs-$suite-$jre_package.tar
if [ $rebuild_base = 1 ] || ! podman image exists "$jre_image"; then
  if [ $rebuild_base = 1 ] || [ ! -s "$rootfs" ]; then
    sources=${CQ_DEBIAN_SOURCES:-}
    if [ -z "$sources" ]; then
      if [ -s /etc/apt/sources.list.d/debian.sources ]; then
        sources=/etc/apt/sources.list.d/debian.sources
      elif grep -qs '^deb ' /etc/apt/sources.list; then
        sources=/etc/apt/sources.list
      fi
    fi
    step "mmdebstrap $suite + $jre_package from ${sources:-deb.debian.org} -> $rootfs"
    start=$SECONDS
    # minbase + the JRE + curl (health checks, REST calls); documentation left out (man1 must exist:
    # the JRE's postinst links its man pages there).
    rm -rf "$rootfs.partial"
    mmdebstrap --quiet --format=tar --variant=minbase --include="$jre_package,curl" \
      --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-include=/usr/share/doc/*/copyright' \
      --dpkgopt='path-exclude=/usr/share/man/*' --dpkgopt='path-exclude=/usr/share/info/*' \
      --dpkgopt='path-exclude=/usr/share/locale/*' \
      --setup-hook='mkdir -p "$1/usr/share/man/man1"' \
      "$suite" "$rootfs.partial" ${sources:+"$sources"} ||
      fail "mmdebstrap could not build the $suite rootfs (mirror ${sources:-deb.debian.org}); set CQ_DEBIAN_SOURCES to an apt sources file that works here"
    mv "$rootfs.partial" "$rootfs"
    echo "   rootfs built in $((SECONDS - start)) s"
  fi
  step "podman import $rootfs -> $jre_image"
  podman import --quiet "$rootfs" "$jre_image" >/dev/null || fail "podman import of $rootfs failed"
else
  step "cached: $jre_image"
fi
# `true` is in every rootfs: if this fails, containers cannot run here at all (runtime, cgroups,
# storage), which is not a fault of the image; a failing `java -version` is.
if ! out=$(podman run --rm "$jre_image" true 2>&1); then
  cannot_run "'podman run --rm $jre_image true' failed: $out"
fi
out=$(podman run --rm "$jre_image" java -version 2>&1) || fail "java does not run in $jre_image: $out"
echo "   $(echo "$out" | head -n 1)"

# 2. Kafka base image: jars from Maven Central, launchers and layout of the official image.
step "Kafka $kafka_version jars (docker/worker/pom.xml) -> $kafka_image"
ctx=$cache/kafka-base
rm -rf "$ctx"
mkdir -p "$ctx"
cp -r "$here/kafka-base/bin" "$here/kafka-base/config" "$ctx/"
copy_jars() {
  mvn -q -B "$@" -Dstyle.color=never -f "$root/docker/worker/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$ctx/libs" >/dev/null
}
copy_jars -o 2>/dev/null || copy_jars || fail "Maven could not fetch Kafka's jars (docker/worker/pom.xml)"
podman build --quiet --layers --build-arg JRE_IMAGE="$jre_image" --label "cq.kafka.version=$kafka_version" \
  -t "$kafka_image" -f "$here/kafka-base/Containerfile" "$ctx" >/dev/null ||
  fail "podman build of the Kafka base image failed (docker/podman/kafka-base/Containerfile)"

# 3. The project's image.
plugin_dir=$root/docker/target/cq-connect-$version
if [ $skip_maven = 0 ] && { [ ! -d "$plugin_dir/lib" ] || [ ! -d "$root/docker/target/demo-plugin" ] ||
  [ ! -d "$root/docker/target/jmx-exporter" ]; }; then
  step "mvn package -pl docker -am (the plugin directory and the demo plugin)"
  (cd "$root" && { mvn -q -B -o -DskipTests package -pl docker -am >/dev/null 2>&1 ||
    mvn -q -B -DskipTests package -pl docker -am >&2; }) || fail "the Maven build of the docker module failed"
fi
[ -d "$plugin_dir/lib" ] || fail "$plugin_dir is missing; run: mvn -B -DskipTests package -pl docker -am"
step "podman build docker/ (KAFKA_IMAGE=$kafka_image) -> $image"
start=$SECONDS
podman build --layers --build-arg KAFKA_IMAGE="$kafka_image" --build-arg CQ_CONNECT_VERSION="$version" \
  -t "$image" "$root/docker" > "$cache/image-build.log" 2>&1 ||
  { tail -n 30 "$cache/image-build.log" >&2; fail "podman build of docker/Dockerfile failed (log: $cache/image-build.log)"; }
echo "   built in $((SECONDS - start)) s; sizes: $(podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' |
  grep -E "cq-(jre|kafka|connect):" | tr '\n' ';')"

if [ $skip_run = 1 ]; then
  step "images built (--skip-run)"
  exit 0
fi

# 4. Broker + worker on the host's network, a sync, its rows.
# CloudQuery's test source, when fixtures/build.sh built it (a Go binary for this machine's glibc,
# mounted, not copied: real plugins are mounted or added by a derived image).
if [ -z "${CQ_SOURCE_TEST+set}" ] && [ -x "$root/fixtures/bin/cq-source-test" ]; then
  CQ_SOURCE_TEST=$(readlink -f "$root/fixtures/bin/cq-source-test")
fi
kafka_port=${CQ_IMAGE_KAFKA_PORT:-39092}
controller_port=${CQ_IMAGE_CONTROLLER_PORT:-39093}
rest_port=${CQ_IMAGE_REST_PORT:-38083}
for port in "$kafka_port" "$controller_port" "$rest_port"; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    fail "port $port on 127.0.0.1 is in use; choose others with CQ_IMAGE_KAFKA_PORT, CQ_IMAGE_CONTROLLER_PORT, CQ_IMAGE_REST_PORT"
  fi
done
# The image's Prometheus agent listens on 9404 (fixed in the Dockerfile's KAFKA_OPTS).
if (exec 3<>/dev/tcp/127.0.0.1/9404) 2>/dev/null; then
  fail "port 9404 on 127.0.0.1 is in use; the image's Prometheus agent needs it (host networking)"
fi
run=$(mktemp -d "${TMPDIR:-/tmp}/cq-image-run.XXXXXX")
chmod 0755 "$run"
podman rm -f -v cq-image-kafka cq-image-connect >/dev/null 2>&1 || true
cleanup() {
  if [ $keep = 0 ]; then
    podman rm -f -v cq-image-kafka cq-image-connect >/dev/null 2>&1 || true
    rm -rf "$run"
  fi
}
trap cleanup EXIT
logs() {
  for c in cq-image-kafka cq-image-connect; do
    echo "---- last lines of $c" >&2
    podman logs --tail 40 "$c" >&2 2>&1 || true
  done
}

cat > "$run/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.bootstrap.servers=127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$kafka_port,CONTROLLER://127.0.0.1:$controller_port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=/var/lib/kafka/data
num.partitions=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
step "broker: $kafka_image on 127.0.0.1:$kafka_port"
podman run -d --name cq-image-kafka -e KAFKA_HEAP_OPTS="-Xms64m -Xmx512m" \
  -v "$run/server.properties:/etc/kafka/server.properties:ro" "$kafka_image" \
  sh -c 'kafka-storage.sh format --standalone -t "$(kafka-storage.sh random-uuid)" -c /etc/kafka/server.properties >/dev/null && exec kafka-server-start.sh /etc/kafka/server.properties' \
  >/dev/null || fail "the broker container did not start"
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local limit=$1 what=$2
  shift 2
  local until=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $until ]; then
      logs
      fail "$what not reached within $limit s"
    fi
    sleep 0.5
  done
}
wait_for 120 "broker started" sh -c 'podman logs cq-image-kafka 2>&1 | grep -q "Kafka Server started"'

# The image's own worker properties, with the REST port moved off 8083 (host networking shares
# the machine's ports); everything else as the image ships it.
step "worker: $image, REST on 127.0.0.1:$rest_port"
# --init: catatonit as PID 1 reaps what the JVM does not (see the zombie check below).
podman run -d --init --name cq-image-connect \
  -e CONNECT_BOOTSTRAP_SERVERS="127.0.0.1:$kafka_port" -e CONNECT_REST_ADVERTISED_HOST_NAME=127.0.0.1 \
  -e KAFKA_HEAP_OPTS="-Xms128m -Xmx768m" -e REST_PORT="$rest_port" \
  ${CQ_SOURCE_TEST:+-v "$CQ_SOURCE_TEST:/opt/cloudquery/plugins/cq-source-test:ro"} \
  --entrypoint sh "$image" -c \
  'sed "s/:8083\$/:$REST_PORT/; s/^rest.advertised.port=8083\$/rest.advertised.port=$REST_PORT/" "$0" > /tmp/worker.properties && exec /opt/kafka/bin/connect-distributed.sh /tmp/worker.properties' \
  /opt/cq-connect/connect-distributed.properties >/dev/null || fail "the worker container did not start"
rest=http://127.0.0.1:$rest_port
wait_for 180 "worker REST API with the cq-connect plugins" \
  sh -c "curl -sf $rest/connector-plugins | grep -q io.cqconnect.source.CloudQuerySourceConnector"
echo "   plugins: $(curl -sf "$rest/connector-plugins" | grep -o 'io\.cqconnect\.[A-Za-z.]*' | sort -u | tr '\n' ' ')"

create() { # create NAME CONFIG_JSON_FILE
  local status
  status=$(curl -s -o "$run/$1.put" -w '%{http_code}' -X PUT -H 'Content-Type: application/json' \
    --data "@$2" "$rest/connectors/$1/config")
  case $status in
    200 | 201) ;;
    *) logs; fail "creating connector $1 answered HTTP $status: $(cat "$run/$1.put")" ;;
  esac
  wait_for 120 "connector $1 and its task RUNNING" \
    sh -c "curl -sf $rest/connectors/$1/status | grep -q '\"tasks\":\[{\"id\":0,\"state\":\"RUNNING\"'"
}
rows() { # rows TOPIC MIN_ROWS TIMEOUT_SECONDS
  podman run --rm -v "$here/TopicRows.java:/tmp/TopicRows.java:ro" "$kafka_image" \
    java -cp '/opt/kafka/libs/*' /tmp/TopicRows.java "127.0.0.1:$kafka_port" "$@"
}

step "connector cq-demo (docker/connectors/demo-source.json: the demo plugin shipped in the image)"
# As shipped, but a sync every 2 s instead of 10 s, so that two syncs take seconds here.
sed 's/"sync.interval.ms": "10000"/"sync.interval.ms": "2000"/' "$root/docker/connectors/demo-source.json" > "$run/demo-source.json"
grep -q '"sync.interval.ms": "2000"' "$run/demo-source.json" \
  || fail "docker/connectors/demo-source.json no longer has \"sync.interval.ms\": \"10000\" (this script shortens it)"
create cq-demo "$run/demo-source.json"
start=$SECONDS
# 50 events per sync, a sync every 2 s: 100 distinct events prove two syncs went through.
rows demo.demo_events 100 120 || { logs; fail "the rows of two demo syncs did not arrive in demo.demo_events"; }
rows demo.demo_users 1 30 || { logs; fail "no rows in demo.demo_users"; }
echo "   two syncs' rows arrived $((SECONDS - start)) s after the connector started"
echo "   offsets: $(curl -sf "$rest/connectors/cq-demo/offsets" | head -c 400)"
# The Prometheus agent the Dockerfile adds: the demo's rows counted on :9404/metrics.
metric=$(curl -sf http://127.0.0.1:9404/metrics | grep '^kafka_connect_cloudquery_source_table_rows_total.*demo_events' || true)
[ -n "$metric" ] || { logs; fail "the image's Prometheus agent (127.0.0.1:9404/metrics) shows no kafka_connect_cloudquery_source_table_rows_total for demo_events"; }
echo "   prometheus: $metric"

if [ -n "${CQ_SOURCE_TEST:-}" ]; then
  step "connector cq-test (CloudQuery's test source, $CQ_SOURCE_TEST mounted read-only)"
  cat > "$run/test-source.json" <<'EOF'
{
  "connector.class": "io.cqconnect.source.CloudQuerySourceConnector",
  "tasks.max": "1",
  "plugin.path": "/opt/cloudquery/plugins/cq-source-test",
  "plugin.args": "--no-sentry",
  "plugin.spec": "{\"num_clients\":3,\"num_rows\":5}",
  "tables": "test_some_table",
  "topic.prefix": "cqtest.",
  "sync.interval.ms": "0"
}
EOF
  create cq-test "$run/test-source.json"
  rows cqtest.test_some_table 15 90 || { logs; fail "CloudQuery's test source rows did not arrive in cqtest.test_some_table"; }
fi
# Every plugin launch leaves a watcher process (plugin-client PluginSupervisor) that exits with
# its plugin; only an init as PID 1 reaps it. Zombies here mean the run lost its --init.
zombies=$(podman exec cq-image-connect sh -c \
  'for s in /proc/[0-9]*/stat; do read -r l < "$s" 2>/dev/null && case "$l" in *") Z "*) echo "$l";; esac; done' || true)
[ -z "$zombies" ] || { logs; fail "zombie processes in the worker container: $zombies"; }
echo "   no zombie process in the worker container (PID 1: $(podman exec cq-image-connect cat /proc/1/comm))"
step "sync checked in the image"
