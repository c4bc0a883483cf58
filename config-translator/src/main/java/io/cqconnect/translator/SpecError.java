package io.cqconnect.translator;

/**
 * A problem in a CloudQuery spec file, located by file, document (1-based, 0 for the file as a
 * whole) and path inside the document's {@code spec} (e.g. {@code backend_options.connection}).
 *
 * @param file the spec file as given on the command line
 * @param document 1-based document number within the file, 0 when the whole file is concerned
 * @param label the document label, e.g. {@code document 1 (source "aws")}; empty for document 0
 * @param path the path inside the document, empty when the document as a whole is concerned
 * @param message what is wrong and what to do
 */
public record SpecError(String file, int document, String label, String path, String message) {

  /**
   * The message with its document and path, e.g. {@code document 1 (source "aws"): tables: ...}.
   */
  public String text() {
    StringBuilder out = new StringBuilder();
    if (!label.isEmpty()) {
      out.append(label).append(": ");
    }
    if (!path.isEmpty()) {
      out.append(path).append(": ");
    }
    return out.append(message).toString();
  }

  /** {@link #text()} preceded by the file name. */
  @Override
  public String toString() {
    return file + ": " + text();
  }
}
