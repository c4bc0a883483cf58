package io.cqconnect.translator;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads CloudQuery spec files (or directories of {@code .yml}/{@code .yaml} files, as the CLI does)
 * into {@link SpecDocument}s, one per {@code ---}-separated YAML document.
 */
public final class SpecReader {

  private final ObjectMapper yaml;

  /** A reader that rejects duplicate keys, as CloudQuery's strict unmarshalling does. */
  public SpecReader() {
    YAMLFactory factory = new YAMLFactory();
    factory.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    this.yaml = new ObjectMapper(factory);
  }

  /** Reads every path (file or directory) in order, adding problems to {@code errors}. */
  public List<SpecDocument> read(List<Path> paths, List<SpecError> errors) {
    List<SpecDocument> documents = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        for (Path file : specFilesIn(path, errors)) {
          documents.addAll(readFile(file, errors));
        }
      } else {
        documents.addAll(readFile(path, errors));
      }
    }
    return documents;
  }

  /** Parses {@code text} as the content of a spec file named {@code file}. */
  public List<SpecDocument> parse(String file, String text, List<SpecError> errors) {
    List<SpecDocument> documents = new ArrayList<>();
    int index = 0;
    // CloudQuery normalises Windows line endings before splitting documents.
    String normalised = text.replace("\r\n", "\n");
    try (MappingIterator<JsonNode> it = yaml.readerFor(JsonNode.class).readValues(normalised)) {
      while (it.hasNextValue()) {
        index++;
        JsonNode root = it.nextValue();
        if (root == null || root.isNull() || root.isMissingNode()) {
          continue; // an empty document, e.g. after a trailing '---'
        }
        if (!root.isObject()) {
          errors.add(
              new SpecError(
                  file,
                  index,
                  "document " + index,
                  "",
                  "expected a mapping with 'kind' and 'spec', got a YAML "
                      + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT)));
          continue;
        }
        documents.add(new SpecDocument(file, index, root));
      }
    } catch (JsonProcessingException e) {
      errors.add(syntaxError(file, Math.max(index, 1), e));
    } catch (IOException | RuntimeException e) {
      errors.add(syntaxError(file, Math.max(index, 1), e));
    }
    return documents;
  }

  private List<SpecDocument> readFile(Path file, List<SpecError> errors) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      errors.add(
          new SpecError(file.toString(), 0, "", "", "cannot read the spec file: " + describe(e)));
      return List.of();
    }
    return parse(file.toString(), text, errors);
  }

  private static List<Path> specFilesIn(Path dir, List<SpecError> errors) {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(Files::isRegularFile)
          .filter(f -> !f.getFileName().toString().startsWith("."))
          .filter(
              f -> {
                String name = f.getFileName().toString();
                return name.endsWith(".yml") || name.endsWith(".yaml");
              })
          .sorted()
          .toList();
    } catch (IOException e) {
      errors.add(
          new SpecError(dir.toString(), 0, "", "", "cannot list the directory: " + describe(e)));
      return List.of();
    }
  }

  private static SpecError syntaxError(String file, int index, Exception e) {
    String message = e.getMessage();
    if (e instanceof JsonProcessingException jpe) {
      JsonLocation at = jpe.getLocation();
      message =
          "YAML error"
              + (at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
              + ": "
              + jpe.getOriginalMessage();
    }
    return new SpecError(file, index, "document " + index, "", message);
  }

  private static String describe(IOException e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
  }
}
