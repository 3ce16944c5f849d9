package ntio.host.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What {@code ntio --version} says about this build: the project's version and the git commit
 * the jar was built from, as the build wrote them into {@value #RESOURCE}.
 *
 * @param version the project version, such as {@code 0.1.0-SNAPSHOT}; {@code unknown} when the
 *     build wrote none
 * @param commit the commit's abbreviated id; {@code unknown} when the jar was built from a tree
 *     without git history (a source archive) or without git
 */
record BuildInfo(String version, String commit) {

  /** The resource the build writes (ntio-host's pom, {@code build-info}). */
  static final String RESOURCE = "/ntio/host/build.properties";

  static final String UNKNOWN = "unknown";

  /** This build's, from {@link #RESOURCE}; both {@code unknown} when it is missing. */
  static BuildInfo current() {
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return of(properties);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** From the properties {@code version} and {@code commit}; a missing or blank one is unknown. */
  static BuildInfo of(Properties properties) {
    return new BuildInfo(known(properties.getProperty("version")), known(properties.getProperty("commit")));
  }

  private static String known(String value) {
    // An unexpanded ${...} is what a build that skipped the step would leave.
    return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.strip();
  }

  /** {@code ntio 0.1.0-SNAPSHOT (commit c19e02ea2f59)}: the first line of {@code ntio --version}. */
  String describe() {
    return "ntio " + version + " (commit " + commit + ")";
  }
}
