/**
 * jcstress races on the kernel's load/unload protocol and on completing versus cancelling an IRP.
 *
 * <p>{@link ntio.stress.LastCloseVersusUnload} races the last close of a device against
 * NtUnloadDriver of its driver. The driver it loads is {@link ntio.stress.race.RaceDriver},
 * packaged by the build as its own image and carried as the resource {@code ntio/stress/Race.jar};
 * {@link ntio.stress.RaceKernel} is the kernel those races share. {@link ntio.stress.ReloadAfterLastClose}
 * races, on the same kernel, a client's last close of a device whose unload was deferred followed at
 * once by its reload of the driver, against another client opening the device, loading the driver or
 * unloading it ({@link ntio.stress.ReloadRace}): the reload must succeed, never finding the old image
 * still mapped.
 *
 * <p>{@link ntio.stress.CompletionVersusCancel} races the Echo sample driver completing a pending
 * read against NtCancelIoFileEx of that read. Echo's image is {@code dev.ntio:ntio-drivers:jar:echo},
 * carried as the resource {@code ntio/stress/Echo.jar}; {@link ntio.stress.EchoKernels} gives each
 * race in flight a kernel of its own with Echo loaded. {@link ntio.stress.IssueVersusRundown} races
 * a client's overlapped read of Echo against the rundown of that client's process, on the same
 * pool: the read is refused or cancelled, never orphaned.
 *
 * <p>{@link ntio.stress.StressMain} runs jcstress and, unlike jcstress itself, exits non-zero when
 * any outcome is forbidden, a test errs, or a test it selected produced no sample, so a build can
 * fail on it.
 */
package ntio.stress;
