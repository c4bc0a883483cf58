package io.cqconnect.sink;

/** The version of this connector, from the jar manifest (or "unknown" when run from classes). */
final class Version {

  private Version() {}

  static String get() {
    String version = Version.class.getPackage().getImplementationVersion();
    return version == null ? "unknown" : version;
  }
}
