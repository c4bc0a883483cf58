/**
 * The Kafka Connect source connector: drives a CloudQuery source plugin over plugin protocol v3,
 * turns its Arrow records into Connect records (one topic per table), and commits the plugin's
 * cursors as Connect offsets only after Kafka holds the rows they cover.
 */
package io.cqconnect.source;
