#!/bin/sh
# Renders docs/grafana-dashboard.png: a static rendering of the Grafana dashboard's queries (not
# Grafana, which no package serves here). WorkerProcessIT starts a real broker and a worker with the
# JMX exporter agent, runs a test-plugin source, an incremental source and a SQLite sink, starts
# Debian's prometheus against the agent, waits WAIT_S seconds of syncs, then headless Chromium
# screenshots render.html, which runs every panel's PromQL against that Prometheus and draws it.
# Needs: apt-get install prometheus chromium; fixtures/build.sh; run from anywhere.
set -eu
cd "$(dirname "$0")/../../.."
OUT="${1:-$PWD/docs/grafana-dashboard.png}"
WAIT_S="${WAIT_S:-180}"
command -v prometheus >/dev/null || { echo "render.sh: no prometheus on PATH: apt-get install prometheus" >&2; exit 1; }
command -v chromium >/dev/null || { echo "render.sh: no chromium on PATH: apt-get install chromium" >&2; exit 1; }
mvn -B -o verify -pl integration-tests -am \
  -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dit.test='WorkerProcessIT$Prometheus#shouldAnswerEveryPanelQueryAndEvaluateTheAlertRulesWhenPrometheusScrapesTheAgent' \
  -Dcq.dashboard.screenshot="$OUT" -Dcq.dashboard.wait.s="$WAIT_S" -Dcq.dashboard.range.s="$((WAIT_S + 60))"
echo "render.sh: wrote $OUT"
