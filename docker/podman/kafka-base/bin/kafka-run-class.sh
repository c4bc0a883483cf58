#!/bin/sh
# kafka-run-class.sh MAIN_CLASS [ARGS...]: runs a class of /opt/kafka/libs with the environment
# variables Kafka's own script reads (KAFKA_HEAP_OPTS, KAFKA_JVM_PERFORMANCE_OPTS, KAFKA_JMX_OPTS,
# JMX_PORT, JMX_RMI_PORT, KAFKA_LOG4J_OPTS, KAFKA_OPTS, CLASSPATH). A stand-in for the script of
# the Kafka tarball, which Maven Central does not serve.
set -eu
if [ $# -lt 1 ]; then
  echo "usage: kafka-run-class.sh MAIN_CLASS [ARGS...]" >&2
  exit 2
fi
base=$(cd "$(dirname "$0")/.." && pwd)
java=java
if [ -n "${JAVA_HOME:-}" ]; then java=$JAVA_HOME/bin/java; fi
heap=${KAFKA_HEAP_OPTS:--Xmx256M}
perf=${KAFKA_JVM_PERFORMANCE_OPTS:--server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true}
log4j=${KAFKA_LOG4J_OPTS:--Dlog4j2.configurationFile=$base/config/log4j2.properties}
jmx=${KAFKA_JMX_OPTS:--Dcom.sun.management.jmxremote -Dcom.sun.management.jmxremote.authenticate=false -Dcom.sun.management.jmxremote.ssl=false}
if [ -n "${JMX_PORT:-}" ]; then
  jmx="$jmx -Dcom.sun.management.jmxremote.port=$JMX_PORT"
  if [ -n "${JMX_RMI_PORT:-}" ]; then jmx="$jmx -Dcom.sun.management.jmxremote.rmi.port=$JMX_RMI_PORT"; fi
fi
classpath="$base/libs/*"
if [ -n "${CLASSPATH:-}" ]; then classpath="$classpath:$CLASSPATH"; fi
# exec: the JVM gets the container's SIGTERM and runs Kafka's shutdown hooks.
# shellcheck disable=SC2086
exec "$java" $heap $perf $jmx $log4j ${KAFKA_OPTS:-} -cp "$classpath" "$@"
