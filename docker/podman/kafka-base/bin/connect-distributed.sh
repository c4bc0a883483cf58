#!/bin/sh
# connect-distributed.sh WORKER.properties: a Connect worker in distributed mode, as Kafka's script
# of that name starts it (2 GB heap unless KAFKA_HEAP_OPTS says otherwise).
set -eu
export KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:--Xms256M -Xmx2G}
exec "$(dirname "$0")/kafka-run-class.sh" org.apache.kafka.connect.cli.ConnectDistributed "$@"
