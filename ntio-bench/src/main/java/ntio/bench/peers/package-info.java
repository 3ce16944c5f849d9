/**
 * ntio and its peers, side by side: one load&nbsp;→ start/open&nbsp;→ stop/close&nbsp;→ unload
 * cycle of an equivalent trivial unit in ntio (the Null driver, Driver Verifier off and on), PF4J
 * (a plugin) and Apache Felix (a bundle), next to the bare class-loader floor, measured warm
 * ({@link ntio.bench.peers.PeerCycle}) and cold ({@link ntio.bench.peers.PeerFirstCycle}) in one
 * harness.
 *
 * <p>The peers' units are written at set-up, as the Null image is: one class each, whose bytes
 * {@code UnitClassFile} writes, in a JAR with the descriptor its peer reads ({@code UnitJar}), so
 * that no class path ever holds them. PF4J and Felix are dependencies of this module only.
 *
 * <p>{@code compare.sh} runs the comparison and {@link ntio.bench.report.PeerTable} turns its
 * JSON into the table {@code docs/performance.md} publishes.
 */
package ntio.bench.peers;
