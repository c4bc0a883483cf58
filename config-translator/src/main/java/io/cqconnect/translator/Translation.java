package io.cqconnect.translator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.util.List;

/**
 * The outcome of translating spec files: the Connect requests (only when there are no errors),
 * informational notes, and errors.
 */
public record Translation(
    List<ConnectorRequest> requests, List<String> notes, List<SpecError> errors) {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Copies the lists. */
  public Translation {
    requests = List.copyOf(requests);
    notes = List.copyOf(notes);
    errors = List.copyOf(errors);
  }

  /** True when there are no errors. */
  public boolean ok() {
    return errors.isEmpty();
  }

  /** The requests as a pretty-printed JSON array. */
  public String requestsJson() {
    ArrayNode array = JSON.createArrayNode();
    requests.forEach(r -> array.add(r.toJson()));
    try {
      return JSON.writeValueAsString(array);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of strings must serialise", e);
    }
  }
}
