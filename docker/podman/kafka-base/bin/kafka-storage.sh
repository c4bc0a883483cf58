#!/bin/sh
# kafka-storage.sh random-uuid | format --standalone -t UUID -c server.properties | ...
set -eu
exec "$(dirname "$0")/kafka-run-class.sh" kafka.tools.StorageTool "$@"
