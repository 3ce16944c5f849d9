package ntio.framework;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import ntio.ddk.NtStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Typed object contexts (O19, T20) on a builtin framework driver. */
@Timeout(60)
class ContextsTest {

  /** A context as C declares one: its fields start zero. */
  static final class Counters {
    int count;
    long total;
    Object last;
  }

  /** Another context type. */
  static final class Extra {
    int value;
  }

  private static final ContextType<Counters> A = ContextType.declare("COUNTERS", Counters.class, Counters::new);
  private static final ContextType<Extra> B = ContextType.declare("EXTRA", Extra.class, Extra::new);

  private FxLab lab;
  private Wdf wdf;

  @BeforeEach
  void boot() {
    lab = new FxLab();
    wdf = lab.builtin("FxContexts", (w, d, path) ->
        w.driverCreate(d, path, null, WdfDriverConfig.nonPnp()).status()).wdf();
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private WdfObject withA() {
    return wdf.objectCreate(WdfObjectAttributes.withContext(A)
        .cleanupCallback(o -> lab.event("cleanup(A)"))
        .destroyCallback(o -> lab.event("destroy(A)"))).handle();
  }

  @Test
  void T20_aSecondContextOfTheSameTypeIsNameExistsWithTheSamePointerAndCallbacksRunInChainOrder() {
    WdfObject o = withA();
    Counters a = wdf.objectGetTypedContext(o, A);

    WdfResult<Object> b = wdf.objectAllocateContext(o, WdfObjectAttributes.withContext(B)
        .cleanupCallback(x -> lab.event("cleanup(B)")));
    WdfResult<Object> again = wdf.objectAllocateContext(o, WdfObjectAttributes.withContext(B));

    assertThat(b.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(again.status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_EXISTS);
    assertThat(again.status().isSuccess()).isTrue();
    assertThat(again.handle()).isSameAs(b.handle());
    assertThat(a.count).isZero();
    assertThat(a.total).isZero();
    assertThat(a.last).isNull();
    assertThat(((Extra) b.handle()).value).isZero();

    wdf.objectDelete(o);

    assertThat(lab.events()).containsExactly("cleanup(A)", "cleanup(B)", "destroy(A)");
  }

  @Test
  void T20_allocatingAContextFromTheCleanupCallbackIsDeletePending() {
    AtomicReference<NtStatus> seen = new AtomicReference<>();
    WdfObject o = wdf.objectCreate(WdfObjectAttributes.withContext(A)
        .cleanupCallback(x -> seen.set(wdf.objectAllocateContext(x, WdfObjectAttributes.withContext(B)).status())))
        .handle();

    wdf.objectDelete(o);

    assertThat(seen.get()).isEqualTo(NtStatus.STATUS_DELETE_PENDING);
  }

  @Test
  void O19_attributesWithoutATypeAreNameInvalid() {
    WdfObject o = withA();

    assertThat(wdf.objectAllocateContext(o, WdfObjectAttributes.init()).status())
        .isEqualTo(NtStatus.STATUS_OBJECT_NAME_INVALID);
    assertThat(wdf.objectAllocateContext(o, null).status()).isEqualTo(NtStatus.STATUS_OBJECT_NAME_INVALID);
  }

  @Test
  void O19_aParentInContextAttributesIsRejected() {
    WdfObject o = withA();

    assertThat(wdf.objectAllocateContext(o, WdfObjectAttributes.withContext(B).parentObject(wdf.getDriver()))
        .status()).isEqualTo(NtStatus.STATUS_WDF_PARENT_ASSIGNMENT_NOT_ALLOWED);
  }

  @Test
  void O19_aTypeThatIsNotPresentIsNullAndContextsAreReadableFromTheDestroyCallback() {
    AtomicReference<Counters> inDestroy = new AtomicReference<>();
    WdfObject o = wdf.objectCreate(WdfObjectAttributes.withContext(A)
        .destroyCallback(x -> inDestroy.set(wdf.objectGetTypedContext(x, A)))).handle();
    Counters mine = wdf.objectGetTypedContext(o, A);
    mine.count = 7;

    assertThat(wdf.objectGetTypedContext(o, B)).isNull();
    wdf.objectDelete(o);

    assertThat(inDestroy.get()).isSameAs(mine);
    assertThat(inDestroy.get().count).isEqualTo(7);
  }

  @Test
  void O19_eachObjectGetsItsOwnZeroFilledContext() {
    WdfObject first = withA();
    WdfObject second = withA();
    wdf.objectGetTypedContext(first, A).count = 3;

    assertThat(wdf.objectGetTypedContext(second, A)).isNotSameAs(wdf.objectGetTypedContext(first, A));
    assertThat(wdf.objectGetTypedContext(second, A).count).isZero();
  }
}
