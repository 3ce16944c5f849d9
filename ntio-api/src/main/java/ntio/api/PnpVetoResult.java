package ntio.api;

import java.util.Objects;
import ntio.ddk.NtStatus;

/**
 * The answer to a request that removes or stops a device ({@code devcon remove/disable/restart},
 * NT's {@code CM_Query_And_Remove_SubTree}): the status and, when a driver or an open handle
 * vetoed the query-remove, who and why ({@code PNP_VETO_TYPE}).
 *
 * @param status {@code STATUS_SUCCESS}, or the veto's status, or another failure
 * @param vetoType the {@code PNP_VETO_TYPE} ({@code PNP_VetoOutstandingOpen} = 5, {@code
 *     PNP_VetoDevice} = 6, ...); 0 ({@code PNP_VetoTypeUnknown}) when nothing vetoed
 * @param vetoName who vetoed: the device instance path or driver name; empty when nothing did
 * @param vetoReason a sentence for a person: what vetoed and what to do; empty when nothing did
 */
public record PnpVetoResult(NtStatus status, int vetoType, String vetoName, String vetoReason) {

  /** Checks the fields. */
  public PnpVetoResult {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(vetoName, "vetoName");
    Objects.requireNonNull(vetoReason, "vetoReason");
  }

  /** A result without a veto: success or another failure. */
  public static PnpVetoResult of(NtStatus status) {
    return new PnpVetoResult(status, 0, "", "");
  }

  /** Whether a driver or an open handle vetoed. */
  public boolean vetoed() {
    return vetoType != 0;
  }
}
