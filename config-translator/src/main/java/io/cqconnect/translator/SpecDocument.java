package io.cqconnect.translator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One {@code kind}/{@code spec} document of a CloudQuery spec file, with the label used in every
 * message about it ({@code document 2 (destination "postgresql")}).
 */
public final class SpecDocument {

  private final String file;
  private final int index;
  private final JsonNode root;

  /** Wraps document {@code index} (1-based) of {@code file}. */
  public SpecDocument(String file, int index, JsonNode root) {
    this.file = file;
    this.index = index;
    this.root = root;
  }

  /** The file this document came from. */
  public String file() {
    return file;
  }

  /** 1-based position in its file. */
  public int index() {
    return index;
  }

  /** The whole document ({@code kind} and {@code spec}). */
  public JsonNode root() {
    return root;
  }

  /** The {@code kind} value when it is a string, else {@code null}. */
  public String kind() {
    JsonNode kind = root.get("kind");
    return kind != null && kind.isTextual() ? kind.textValue() : null;
  }

  /** The {@code spec} mapping, or {@code null} when absent or not a mapping. */
  public ObjectNode spec() {
    JsonNode spec = root.get("spec");
    return spec instanceof ObjectNode object ? object : null;
  }

  /** The {@code spec.name} value when it is a non-empty string, else {@code null}. */
  public String name() {
    ObjectNode spec = spec();
    JsonNode name = spec == null ? null : spec.get("name");
    return name != null && name.isTextual() && !name.textValue().isEmpty()
        ? name.textValue()
        : null;
  }

  /** {@code document 1 (source "aws")}, {@code document 1 (source)} or {@code document 1}. */
  public String label() {
    String kind = kind();
    if (kind == null || !(kind.equals("source") || kind.equals("destination"))) {
      return "document " + index;
    }
    String name = name();
    return "document " + index + " (" + kind + (name == null ? "" : " \"" + name + "\"") + ")";
  }

  /** An error about {@code path} of this document. */
  public SpecError error(String path, String message) {
    return new SpecError(file, index, label(), path, message);
  }

  /** A note (not an error) about {@code path} of this document. */
  public String note(String path, String message) {
    return label() + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}
