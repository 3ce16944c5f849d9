package ntio.framework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import ntio.ddk.NtStatus;
import ntio.ddk.PoolType;
import ntio.ddk.testkit.BugCheck;
import ntio.ddk.testkit.BugCheckException;
import ntio.framework.WdfObjectAttributes.ExecutionLevel;
import ntio.framework.WdfObjectAttributes.SynchronizationScope;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The framework object tree (O1–O20 of the spec) on the DDK test kit: a builtin framework driver
 * whose WDFDRIVER the test creates, then DDIs called as the driver would call them, with every
 * cleanup and destroy callback recorded in order.
 */
@Timeout(60)
class ObjectTreeTest {

  private FxLab lab;
  private Wdf wdf;
  private WdfDriver driver;

  @BeforeEach
  void boot() {
    lab = new FxLab();
    FxLab.Bound bound = lab.builtin("FxTree", (w, d, path) ->
        w.driverCreate(d, path, recorded("D"), withUnload()).status());
    assertThat(bound.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    wdf = bound.wdf();
    driver = wdf.getDriver();
  }

  @AfterEach
  void shutDown() {
    lab.close();
  }

  private WdfDriverConfig withUnload() {
    return WdfDriverConfig.nonPnp().driverUnload(d -> lab.event("EvtDriverUnload"));
  }

  /** Attributes whose cleanup and destroy callbacks record {@code cleanup(name)} and {@code destroy(name)}. */
  private WdfObjectAttributes recorded(String name) {
    return WdfObjectAttributes.init()
        .cleanupCallback(o -> lab.event("cleanup(" + name + ")"))
        .destroyCallback(o -> lab.event("destroy(" + name + ")"));
  }

  private WdfObject object(String name, WdfObject parent) {
    WdfResult<WdfObject> created = wdf.objectCreate(recorded(name).parentObject(parent));
    assertThat(created.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    return created.handle();
  }

  private int indexOf(String event) {
    int i = lab.events().indexOf(event);
    assertThat(i).as("%s in %s", event, lab.events()).isNotNegative();
    return i;
  }

  @Test
  void O1_anObjectStartsWithOneReferenceAndNeitherParentNorChildReferencesTheOther() {
    WdfObject parent = object("P", null);
    WdfObject child = object("C", parent);

    assertThat(parent.referenceCount()).isEqualTo(1);
    assertThat(child.referenceCount()).isEqualTo(1);
    assertThat(child.parent()).isSameAs(parent);
    assertThat(parent.children()).containsExactly(child);
  }

  @Test
  void O2_withoutAParentAnObjectIsParentedToTheWdfDriver() {
    WdfObject o = object("O", null);

    assertThat(o.parent()).isSameAs(driver);
    assertThat(driver.parent()).isNull();
  }

  @Test
  void O2_beforeWdfDriverCreateAnObjectHasNoParentAndIsNeverDeletedForTheDriver() {
    WdfObject[] early = new WdfObject[1];
    FxLab.Bound bound = lab.builtin("FxEarly", (w, d, path) -> {
      early[0] = w.objectCreate(recorded("E")).handle();
      return w.driverCreate(d, path, null, withUnload()).status();
    });

    assertThat(bound.status()).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(early[0].parent()).isNull();
    bound.driver().driverUnload().unload(bound.driver());
    assertThat(lab.events()).doesNotContain("cleanup(E)", "destroy(E)");
    assertThat(early[0].state()).isEqualTo(WdfObjectState.CREATED);
  }

  @Test
  void O3_memoryDefaultsToTheDriverAndMayBeParentedToAnyObject() {
    WdfObject p = object("P", null);
    WdfMemory onDriver = wdf.memoryCreate(null, PoolType.NON_PAGED, 0, 16).handle();
    WdfMemory onP = wdf.memoryCreate(WdfObjectAttributes.init().parentObject(p), PoolType.PAGED, 0, 16).handle();

    assertThat(onDriver.parent()).isSameAs(driver);
    assertThat(onP.parent()).isSameAs(p);
  }

  @Test
  void O4_creatingUnderAParentThatIsBeingDeletedIsDeletePendingAndTheChildNeverCallsBack() {
    NtStatus[] seen = new NtStatus[1];
    WdfObject[] parent = new WdfObject[1];
    parent[0] = wdf.objectCreate(WdfObjectAttributes.init().cleanupCallback(p -> {
      seen[0] = wdf.objectCreate(recorded("late").parentObject(p)).status();
    })).handle();

    wdf.objectDelete(parent[0]);

    assertThat(seen[0]).isEqualTo(NtStatus.STATUS_DELETE_PENDING);
    assertThat(lab.events()).doesNotContain("cleanup(late)", "destroy(late)");
  }

  @Test
  void O4_aParentThatIsAlreadyDestroyedIsAnInvalidHandleBugCheck() {
    WdfObject p = object("P", null);
    wdf.objectDelete(p);

    assertThatThrownBy(() -> wdf.objectCreate(WdfObjectAttributes.init().parentObject(p)))
        .isInstanceOf(BugCheckException.class);
    BugCheck bugCheck = lab.onlyBugCheck();
    assertThat(bugCheck.code()).isEqualTo(BugCheck.WDF_VIOLATION);
    assertThat(bugCheck.parameter1()).isEqualTo(0x5);
    assertThat(bugCheck.parameter2()).isEqualTo(p.handle());
  }

  @Test
  void O5_aWrongAttributesSizeIsInfoLengthMismatch() {
    assertThat(wdf.objectCreate(recorded("X").size(WdfObjectAttributes.SIZE - 8)).status())
        .isEqualTo(NtStatus.STATUS_INFO_LENGTH_MISMATCH);
  }

  @Test
  void O5_aContextTypeWithoutANameIsAttributesInvalid() {
    ContextType<int[]> nameless = ContextType.declare(null, int[].class, () -> new int[1]);

    assertThat(wdf.objectCreate(WdfObjectAttributes.withContext(nameless)).status())
        .isEqualTo(NtStatus.STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
  }

  @Test
  void O5_anExecutionLevelOrScopeOutOfRangeIsAttributesInvalid() {
    assertThat(wdf.objectCreate(WdfObjectAttributes.init().executionLevel(null)).status())
        .isEqualTo(NtStatus.STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
    assertThat(wdf.objectCreate(WdfObjectAttributes.init().synchronizationScope(null)).status())
        .isEqualTo(NtStatus.STATUS_WDF_OBJECT_ATTRIBUTES_INVALID);
  }

  @Test
  void O5_aLevelOrScopeTheTypeDoesNotSupportIsRejected() {
    assertThat(wdf.memoryCreate(WdfObjectAttributes.init().executionLevel(ExecutionLevel.PASSIVE),
        PoolType.NON_PAGED, 0, 8).status()).isEqualTo(NtStatus.STATUS_WDF_EXECUTION_LEVEL_INVALID);
    assertThat(wdf.objectCreate(WdfObjectAttributes.init().synchronizationScope(SynchronizationScope.DEVICE))
        .status()).isEqualTo(NtStatus.STATUS_WDF_SYNCHRONIZATION_SCOPE_INVALID);
  }

  @Test
  void O6_aFailedCreateNeverCallsTheObjectsCallbacksAndLeavesNoChild() {
    WdfResult<WdfMemory> failed = wdf.memoryCreate(recorded("M"), PoolType.NON_PAGED, 0, 1L << 40);

    assertThat(failed.status()).isEqualTo(NtStatus.STATUS_INSUFFICIENT_RESOURCES);
    assertThat(failed.handle()).isNull();
    assertThat(driver.children()).isEmpty();
    driver.wdmDriverObject().driverUnload().unload(driver.wdmDriverObject());
    assertThat(lab.events()).containsExactly("EvtDriverUnload", "cleanup(D)", "destroy(D)");
  }

  @Test
  void O7_anObjectGoesFromCreatedThroughDeletedDisposingToDestroyed() {
    WdfObject o = object("O", null);
    wdf.objectDelete(o);

    assertThat(o.state()).isEqualTo(WdfObjectState.DESTROYED);
    assertThat(o.stateHistory()).containsExactly(WdfObjectState.INITIALIZED, WdfObjectState.CREATED,
        WdfObjectState.DELETED_DISPOSING, WdfObjectState.DELETED_AND_DISPOSED, WdfObjectState.DESTROYED);
  }

  @Test
  void O7_aChildTornDownByItsParentDisposesEarlyAndWaitsForTheParentsFinalEvent() {
    WdfObject p = object("P", null);
    WdfObject c = object("C", p);
    wdf.objectDelete(p);

    assertThat(c.stateHistory()).containsExactly(WdfObjectState.INITIALIZED, WdfObjectState.CREATED,
        WdfObjectState.DISPOSING_EARLY, WdfObjectState.DISPOSED, WdfObjectState.DELETED_AND_DISPOSED,
        WdfObjectState.DESTROYED);
  }

  @Test
  void O8_deleteUnlinksFromTheParentAndRunsCleanupThenDestroy() {
    WdfObject o = object("O", null);

    wdf.objectDelete(o);

    assertThat(driver.children()).doesNotContain(o);
    assertThat(lab.events()).containsExactly("cleanup(O)", "destroy(O)");
  }

  @Test
  void O9_childCleanupRunsBeforeParentCleanupAndAllCleanupsBeforeAnyDestroy() {
    WdfObject p = object("P", null);
    WdfObject c = object("C", p);
    object("G", c);

    wdf.objectDelete(p);

    assertThat(lab.events()).containsExactly("cleanup(G)", "cleanup(C)", "cleanup(P)",
        "destroy(G)", "destroy(C)", "destroy(P)");
  }

  @Test
  void O9_aChildHeldByAnExtraReferenceIsDestroyedOnlyWhenItIsReleasedEvenAfterItsParent() {
    WdfObject p = object("P", null);
    WdfObject c = object("C", p);
    wdf.objectReference(c);

    wdf.objectDelete(p);

    assertThat(lab.events()).containsExactly("cleanup(C)", "cleanup(P)", "destroy(P)");
    assertThat(c.state()).isEqualTo(WdfObjectState.DELETED_AND_DISPOSED);
    wdf.objectDereference(c);
    assertThat(lab.events()).endsWith("destroy(C)");
    assertThat(c.state()).isEqualTo(WdfObjectState.DESTROYED);
    assertThat(lab.bugChecks).isEmpty();
  }

  @Test
  void T09_treeDeleteOrdersCleanupsAndDestroysWithoutAssumingSiblingOrder() {
    WdfObject p = object("P", null);
    WdfObject c1 = object("C1", p);
    WdfObject c2 = object("C2", p);
    WdfObject g = object("G", c1);

    wdf.objectDelete(p);

    assertThat(indexOf("cleanup(G)")).isLessThan(indexOf("cleanup(C1)"));
    assertThat(indexOf("cleanup(C1)")).isLessThan(indexOf("cleanup(P)"));
    assertThat(indexOf("cleanup(C2)")).isLessThan(indexOf("cleanup(P)"));
    assertThat(indexOf("destroy(G)")).isLessThan(indexOf("destroy(C1)"));
    assertThat(indexOf("destroy(C1)")).isLessThan(indexOf("destroy(P)"));
    assertThat(indexOf("destroy(C2)")).isLessThan(indexOf("destroy(P)"));
    int lastCleanup = List.of("P", "C1", "C2", "G").stream().mapToInt(n -> indexOf("cleanup(" + n + ")")).max().orElseThrow();
    int firstDestroy = List.of("P", "C1", "C2", "G").stream().mapToInt(n -> indexOf("destroy(" + n + ")")).min().orElseThrow();
    assertThat(lastCleanup).isLessThan(firstDestroy);
    assertThat(List.of(p, c1, c2, g)).allSatisfy(o -> assertThat(o.state()).isEqualTo(WdfObjectState.DESTROYED));
    assertThatThrownBy(() -> wdf.objectReference(g)).isInstanceOf(BugCheckException.class);
    assertThat(lab.onlyBugCheck().parameter1()).isEqualTo(0x5);
  }

  @Test
  void O11_theFrameworkRunsCleanupWhenItDeletesTheDriversTreeAtUnload() {
    object("O", null);

    driver.wdmDriverObject().driverUnload().unload(driver.wdmDriverObject());

    assertThat(lab.events()).containsExactly("EvtDriverUnload", "cleanup(O)", "cleanup(D)", "destroy(O)",
        "destroy(D)");
  }

  @Test
  void O12_theHandleStaysValidAfterDeleteUntilTheLastReferenceGoes() {
    WdfObject o = object("O", null);
    wdf.objectReference(o);

    wdf.objectDelete(o);

    assertThat(lab.events()).containsExactly("cleanup(O)");
    assertThat(o.state()).isEqualTo(WdfObjectState.DELETED_AND_DISPOSED);
    WdfResult<Object> context = wdf.objectAllocateContext(o,
        WdfObjectAttributes.withContext(ContextType.declare("Late", int[].class, () -> new int[1])));
    assertThat(context.status()).isEqualTo(NtStatus.STATUS_DELETE_PENDING);
    wdf.objectDereference(o);
    assertThat(lab.events()).containsExactly("cleanup(O)", "destroy(O)");
  }

  @Test
  void O13_aParentlessChildlessObjectDereferencedToZeroIsFreedSilently() {
    WdfObject[] early = new WdfObject[1];
    FxLab.Bound bound = lab.builtin("FxLone", (w, d, path) -> {
      early[0] = w.objectCreate(recorded("L")).handle();
      return NtStatus.STATUS_SUCCESS;
    });

    bound.wdf().objectDereference(early[0]);

    assertThat(lab.events()).containsExactly("cleanup(L)", "destroy(L)");
    assertThat(early[0].state()).isEqualTo(WdfObjectState.DESTROYED);
    assertThat(lab.bugChecks).isEmpty();
  }

  @Test
  void T11_dereferenceInsteadOfDeleteRunsCleanupAndDestroyThenBugChecks0x10D_0x7() {
    WdfObject o = object("O", null);

    assertThatThrownBy(() -> wdf.objectDereference(o)).isInstanceOf(BugCheckException.class);

    assertThat(lab.events()).containsExactly("cleanup(O)", "destroy(O)");
    BugCheck bugCheck = lab.onlyBugCheck();
    assertThat(bugCheck.code()).isEqualTo(BugCheck.WDF_VIOLATION);
    assertThat(bugCheck.parameter1()).isEqualTo(0x7);
    assertThat(bugCheck.parameter2()).isEqualTo(o.handle());
    assertThat(bugCheck.message()).contains("WdfObjectDereference, not WdfObjectDelete");
  }

  @Test
  void O14_theDriverMayNotDeleteItsWdfDriver() {
    wdf.objectDelete(driver);

    assertThat(driver.state()).isEqualTo(WdfObjectState.CREATED);
    assertThat(lab.events()).isEmpty();
    assertThat(lab.checks()).containsExactly("V-KMDF-05");
  }

  @Test
  void O15_aSecondDeleteOfALiveObjectIsAFindingAndNothingRunsTwice() {
    WdfObject o = object("O", null);
    wdf.objectReference(o);
    wdf.objectDelete(o);

    wdf.objectDelete(o);

    assertThat(lab.checks()).containsExactly("V-KMDF-16");
    assertThat(lab.events()).containsExactly("cleanup(O)");
    wdf.objectDereference(o);
    assertThat(lab.events()).containsExactly("cleanup(O)", "destroy(O)");
  }

  @Test
  void O15_aDeleteOnADestroyedHandleIsBugCheck0x10D_0x5() {
    WdfObject o = object("O", null);
    wdf.objectDelete(o);

    assertThatThrownBy(() -> wdf.objectDelete(o)).isInstanceOf(BugCheckException.class);

    assertThat(lab.onlyBugCheck().parameter1()).isEqualTo(0x5);
    assertThat(lab.bugChecks.get(0).parameter2()).isEqualTo(o.handle());
  }

  @Test
  void O17_referencesAddAndRemoveOneEach() {
    WdfObject o = object("O", null);

    wdf.objectReference(o);
    wdf.objectReferenceWithTag(o, "tag");
    assertThat(o.referenceCount()).isEqualTo(3);
    wdf.objectDereferenceWithTag(o, "tag");
    wdf.objectDereference(o);

    assertThat(o.referenceCount()).isEqualTo(1);
    assertThat(lab.events()).isEmpty();
  }

  @Test
  void O20_objectsParentedToTheDriverLiveUntilUnloadUnlessDeleted() {
    WdfObject o = object("O", null);

    assertThat(o.state()).isEqualTo(WdfObjectState.CREATED);
    driver.wdmDriverObject().driverUnload().unload(driver.wdmDriverObject());
    assertThat(o.state()).isEqualTo(WdfObjectState.DESTROYED);
  }

  @Test
  void handlesAreTypedAndNamedAsKmdfNamesThem() {
    assertThat(driver.type()).isEqualTo(WdfHandleType.WDFDRIVER);
    WdfObject o = object("O", null);
    assertThat(o.type()).isEqualTo(WdfHandleType.WDFOBJECT);
    assertThat(o.toString()).startsWith("WDFOBJECT 0x");
  }
}
