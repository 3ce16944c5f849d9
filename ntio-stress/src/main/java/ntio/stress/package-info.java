/**
 * jcstress races on the kernel's load/unload protocol.
 *
 * <p>{@link ntio.stress.LastCloseVersusUnload} races the last close of a device against
 * NtUnloadDriver of its driver. {@link ntio.stress.StressMain} runs jcstress and, unlike jcstress
 * itself, exits non-zero when any outcome is forbidden or a test errs, so a build can fail on it.
 * The driver the races load is {@link ntio.stress.race.RaceDriver}, packaged by the build as its
 * own image and carried as the resource {@code ntio/stress/Race.jar}.
 */
package ntio.stress;
