/**
 * The scale curves: how ntio's cost grows with the number of service keys, auto-start drivers,
 * loaded drivers, device objects under one driver and open handles in one process — time per
 * operation and memory per object at several sizes of each, so that growth shows.
 *
 * <p>{@link ntio.bench.scale.ScaleCurves} runs one curve in a plain {@code main} (why not JMH: its
 * class comment) and writes its points ({@code <curve>.csv}); {@link ntio.bench.scale.ScaleReport}
 * draws the PNG charts (XChart) and writes {@code scale.md} with the verdicts against the issue's
 * targets: every per-operation figure flat within 2x from the smallest size to the largest, at most
 * 2 KiB per device object and 1 KiB per open handle. {@code ntio-bench/scale.sh} runs all of it.
 *
 * <p>The drivers measured are loaded through the real loader: Null's image, and {@link
 * ntio.bench.scale.ScaleDriver}'s, built by {@link ntio.bench.scale.ScaleImage} from its one class
 * file and copied as many times as a curve needs distinct drivers.
 */
package ntio.bench.scale;
