#!/bin/sh
# kafka-server-start.sh server.properties: a broker (or KRaft controller), 1 GB heap unless
# KAFKA_HEAP_OPTS says otherwise. The log directory must be formatted first (kafka-storage.sh).
set -eu
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xmx1G -Xms1G}
exec "$(dirname "$0")/kafka-run-class.sh" kafka.Kafka "$@"
