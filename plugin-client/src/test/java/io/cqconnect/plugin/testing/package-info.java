/**
 * Test helpers shipped in the plugin-client test-jar: locating and launching the real fixture
 * plugins built by {@code fixtures/build.sh}.
 */
package io.cqconnect.plugin.testing;
