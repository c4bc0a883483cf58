/**
 * A small CloudQuery source plugin written in Java: it serves plugin protocol v3 and discovery v1
 * over gRPC (TCP or a unix socket, launched as {@code <launcher> serve ...} like every CloudQuery
 * plugin), emits deterministic demo rows, and keeps the cursor of its incremental table in a state
 * backend exactly as the Go SDK's state client does. The quickstart runs it, and tests use it as a
 * fixture that needs nothing but Java.
 */
package io.cqconnect.demo;
