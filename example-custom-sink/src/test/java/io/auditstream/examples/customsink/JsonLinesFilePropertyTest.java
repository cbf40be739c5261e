package io.auditstream.examples.customsink;

import static org.assertj.core.api.Assertions.assertThat;

import io.auditstream.api.ValidationException;
import io.auditstream.api.destination.Destination;
import io.auditstream.api.destination.DestinationKind;
import io.auditstream.testing.SinkTestKit;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Every generated path and signing key of a JSON lines file destination is either accepted, and then
 * survives the kind's encode and decode unchanged, or refused with a {@link ValidationException} naming
 * the field. A path accepted by the config is checked again when the destination is saved: accepted
 * then, it names a file inside the folder of the destination's group, never the folder itself, that can
 * be created; refused, the violation names the path. No other exception escapes either check.
 */
class JsonLinesFilePropertyTest {
  private static final DestinationKind<JsonLinesFileConfig> KIND = JsonLinesFileConfig.DESTINATION_KIND;
  private static final String KEY = "signing-key-0123456789abcdef";
  private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789._-";
  /** Characters that break path rules: separators, dots, NUL and other controls, non-ASCII, lone surrogates. */
  private static final String TROUBLE = "/./\\\u0000\n\t \u007f\u00e9\u4e2d\ud800\udfff:*?~";

  private static Path root;
  private static Path groupFolder;
  private static JsonLinesFileSinkProvider provider;

  @BeforeContainer
  static void makeRoot() throws IOException {
    root = Files.createTempDirectory("jsonl-property").toRealPath();
    groupFolder = Files.createDirectories(root.resolve("acme"));
    Files.createDirectories(groupFolder.resolve("logs/2026"));
    Files.createDirectories(root.resolve("globex"));
    provider = new JsonLinesFileSinkProvider(root);
  }

  @AfterContainer
  static void removeRoot() throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  @Provide
  Arbitrary<String> paths() {
    Arbitrary<String> segment = Arbitraries.oneOf(
        Arbitraries.of("..", ".", "", "logs", "2026", "audit.jsonl", "a b", " ", "nul\u0000.jsonl",
            "\u00e9t\u00e9.jsonl", "\ud800.jsonl", "C:", "back\\slash", "x".repeat(255), "x".repeat(256)),
        Arbitraries.strings().withChars(NAME_CHARS.toCharArray()).ofMinLength(1).ofMaxLength(12),
        Arbitraries.strings().withChars((NAME_CHARS + TROUBLE).toCharArray()).ofMaxLength(12));
    Arbitrary<String> relative = segment.list().ofMinSize(1).ofMaxSize(4).map(s -> String.join("/", s));
    // Absolute paths: inside the group's folder, the folder itself, the root, another group's folder, elsewhere.
    Arbitrary<String> absolute = Combinators.combine(
            Arbitraries.of(groupFolder + "/", groupFolder.toString(), root + "/", root + "/globex/", root + "/acme/../",
                "/", "/etc/", "/tmp/", "//"),
            Arbitraries.oneOf(relative, Arbitraries.just("")))
        .as((start, rest) -> start + rest);
    return Arbitraries.oneOf(relative, absolute,
        Arbitraries.strings().withChars((NAME_CHARS + TROUBLE).toCharArray()).ofMaxLength(40),
        Arbitraries.strings().all().ofMaxLength(20),
        Arbitraries.just(null),
        Arbitraries.of("", " ", "\t", "audit.jsonl ", "./audit.jsonl", "logs/", "logs/.", "logs/2026/../x",
            "~/audit.jsonl", "x".repeat(JsonLinesFileConfig.MAX_PATH_LENGTH),
            "x".repeat(JsonLinesFileConfig.MAX_PATH_LENGTH + 1), "a/".repeat(2100) + "x"));
  }

  @Property
  void aPathIsAcceptedUnchangedAndSavedInsideTheGroupsFolderOrRefusedNamingIt(@ForAll("paths") String path) {
    acceptedOrRefused("path", "path", () -> JsonLinesFileConfig.builder().path(path).signingKey(KEY).build(), c -> {
      assertThat(c.path()).isEqualTo(path);
      assertThat(KIND.decode(KIND.encode(c))).isEqualTo(c);
      assertThat(c.toBuilder().build()).isEqualTo(c);
      assertThat(KIND.uniqueKey(c))
          .hasValueSatisfying(k -> assertThat(k.value()).isEqualTo(c.file().normalize().toString()));
      Destination destination = SinkTestKit.destination(c);
      acceptedOrRefused("saved path", "path", () -> {
        provider.validate(destination, SinkTestKit.loopbackContext());
        return new GroupFolders(root).fileOf(destination, c.path());
      }, file -> {
        assertThat(file).startsWithRaw(groupFolder).isNotEqualTo(groupFolder);
        assertThat(file).isEqualTo(groupFolder.resolve(path).normalize());
        groupFolder.relativize(file).forEach(segment -> assertThat(segment.toString()).isNotEqualTo(".."));
        assertCanBeWritten(file);
      });
    });
  }

  /**
   * A path accepted when saved that no file can have would fail every delivery for good: the file is
   * created (and removed again, so that every try starts from the same folders).
   */
  private static void assertCanBeWritten(Path file) {
    try {
      Files.deleteIfExists(Files.createFile(file));
    } catch (FileAlreadyExistsException e) {
      throw new AssertionError("a file was left by an earlier try: " + file, e);
    } catch (FileSystemException e) {
      throw new AssertionError("a path accepted when saved names a file that cannot be created: " + e.getReason(), e);
    } catch (IOException e) {
      throw new AssertionError("a path accepted when saved names a file that cannot be created", e);
    }
  }

  @Provide
  Arbitrary<String> keys() {
    String visible =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
    return Arbitraries.oneOf(
        Arbitraries.strings().withChars(visible.toCharArray()).ofMinLength(10).ofMaxLength(270),
        Arbitraries.strings().withChars((visible + TROUBLE).toCharArray()).ofMinLength(10).ofMaxLength(40),
        Arbitraries.strings().all().ofMaxLength(30),
        Arbitraries.just(null),
        Arbitraries.of("", " ".repeat(20), KEY + " ", KEY + "\n", KEY + "\u00e9", "k".repeat(10_000)));
  }

  @Property
  void aSigningKeyIsAcceptedUnchangedOrRefusedNamingItWithoutShowingIt(@ForAll("keys") String key) {
    Supplier<JsonLinesFileConfig> build =
        () -> JsonLinesFileConfig.builder().path("audit.jsonl").signingKey(key).build();
    try {
      build.get();
    } catch (ValidationException e) {
      // Shorter text could occur in a message by chance (a count, a word of the rule).
      if (key != null && key.length() >= 12) {
        assertThat(e.getMessage()).doesNotContain(key);
      }
    }
    acceptedOrRefused("signingKey", "signingKey", build, c -> {
      assertThat(c.hasSigningKey()).isEqualTo(key != null);
      if (key != null) {
        assertThat(key)
            .hasSizeBetween(JsonLinesFileConfig.MIN_SIGNING_KEY_LENGTH, JsonLinesFileConfig.MAX_SIGNING_KEY_LENGTH);
        assertThat(key.chars()).allMatch(ch -> ch >= 0x21 && ch <= 0x7e);
        assertThat(c.signingKey().get().reveal()).isEqualTo(key);
        assertThat(c.toString()).doesNotContain(key);
      }
      assertThat(KIND.decode(KIND.encode(c))).isEqualTo(c);
    });
  }

  /**
   * Runs {@code build}: on success hands the result to {@code ifAccepted}; on a {@link
   * ValidationException} checks that a violation names {@code field}; fails on any other exception.
   * Both outcomes must occur in a run, so that neither half of the property passes without being tried.
   */
  private static <T> void acceptedOrRefused(String label, String field, Supplier<T> build, Consumer<T> ifAccepted) {
    Statistics.label(label).coverage(c -> {
      c.check("accepted").percentage(p -> p >= 1);
      c.check("refused").percentage(p -> p >= 1);
    });
    T built;
    try {
      built = build.get();
    } catch (ValidationException e) {
      Statistics.label(label).collect("refused");
      assertThat(e.violations()).as("violations of %s", label).anyMatch(v -> v.field().equals(field));
      return;
    } catch (RuntimeException | Error e) {
      throw new AssertionError("a generated " + label + " threw " + e.getClass().getName()
          + " instead of a ValidationException", e);
    }
    Statistics.label(label).collect("accepted");
    ifAccepted.accept(built);
  }
}
