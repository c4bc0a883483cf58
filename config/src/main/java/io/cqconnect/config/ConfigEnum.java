package io.cqconnect.config;

/**
 * An enum whose configuration spelling is CloudQuery's, for example {@code overwrite-delete-stale}.
 */
public interface ConfigEnum {

  /** The value as users write it in a connector config or a CloudQuery spec. */
  String value();
}
