/**
 * Tools that ship beside the Connect plugin rather than inside it: the quickstart's helper ({@link
 * io.cqconnect.tools.QuickstartTool}: Connect REST calls, and a watcher that shows rows arriving
 * and cursors advancing through the topics, the offsets API, the state table and JMX) and the
 * generator of {@code docs/metrics.md} ({@link io.cqconnect.tools.MetricsDocs}).
 */
package io.cqconnect.tools;
