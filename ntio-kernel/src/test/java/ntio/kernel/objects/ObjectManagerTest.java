package ntio.kernel.objects;

import static ntio.ddk.NtStatus.STATUS_ACCESS_DENIED;
import static ntio.ddk.NtStatus.STATUS_HANDLE_NOT_CLOSABLE;
import static ntio.ddk.NtStatus.STATUS_INVALID_HANDLE;
import static ntio.ddk.NtStatus.STATUS_INVALID_PARAMETER;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_COLLISION;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_EXISTS;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_INVALID;
import static ntio.ddk.NtStatus.STATUS_OBJECT_NAME_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_NOT_FOUND;
import static ntio.ddk.NtStatus.STATUS_OBJECT_PATH_SYNTAX_BAD;
import static ntio.ddk.NtStatus.STATUS_OBJECT_TYPE_MISMATCH;
import static ntio.ddk.NtStatus.STATUS_PRIVILEGE_NOT_HELD;
import static ntio.ddk.NtStatus.STATUS_SUCCESS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import ntio.api.DirectoryEntry;
import ntio.api.OpenResult;
import ntio.ddk.AccessMask;
import ntio.ddk.Handle;
import ntio.ddk.NtStatus;
import ntio.ddk.ObjectAttributes;
import ntio.ddk.UnicodeString;
import ntio.kernel.objects.ObjectManager.Referenced;
import org.junit.jupiter.api.Test;

class ObjectManagerTest {

  private final ObjectsFixture f = new ObjectsFixture();
  private final ObjectManager ob = f.objects;

  private Directory testDirectory(String path) {
    return ob.createKernelDirectory(path);
  }

  @Test
  void rootHoldsTheBootDirectoriesAndTheDosDevicesLink() {
    assertThat(ob.list(ob.rootDirectory()))
        .extracting(DirectoryEntry::name)
        .contains("Device", "DosDevices", "GLOBAL??", "ObjectTypes");
    assertThat(ob.list(ob.rootDirectory()))
        .filteredOn(e -> e.name().equals("DosDevices"))
        .singleElement()
        .satisfies(e -> {
          assertThat(e.typeName()).isEqualTo("SymbolicLink");
          assertThat(e.linkTarget()).isEqualTo("\\??");
        });
    assertThat(ob.rootDirectory().fullName()).contains("\\");
  }

  @Test
  void T23_insertWithHandleAndReturnedReferenceCountsTwoPointersAndOneHandle() {
    testDirectory("\\ObInsertTest");
    ObjectsFixture.Widget widget = f.widget();
    assertThat(widget.pointerCount()).isEqualTo(1);
    assertThat(widget.handleCount()).isZero();

    OpenResult inserted = ob.insertObject(widget, ObjectAttributes.of("\\ObInsertTest\\Obj"), null,
        AccessMask.GENERIC_ALL, f.kernel, true, true);

    assertThat(inserted.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(widget.pointerCount()).isEqualTo(2);
    assertThat(widget.handleCount()).isEqualTo(1);
    assertThat(widget.fullName()).contains("\\ObInsertTest\\Obj");
    assertThat(ob.close(inserted.handle(), f.kernel)).isEqualTo(STATUS_SUCCESS);
    assertThat(widget.fullName()).isEmpty();
    assertThat(widget.dereference()).isTrue();
    assertThat(f.deletes).hasValue(1);
  }

  @Test
  void T24_insertIntoAMissingDirectoryFailsAndDestroysTheObject() {
    testDirectory("\\ObInsertTest");
    ObjectsFixture.Widget widget = f.widget();

    OpenResult inserted = ob.insertObject(widget, ObjectAttributes.of("\\ObInsertTestt\\X"), null,
        0, f.kernel, true, true);

    assertThat(inserted.status()).isEqualTo(STATUS_OBJECT_PATH_NOT_FOUND);
    assertThat(inserted.handle()).isEqualTo(Handle.NULL);
    assertThat(widget.pointerCount()).isZero();
    assertThat(widget.isDeleted()).isTrue();
    assertThat(f.deletes).hasValue(1);
  }

  @Test
  void T25_insertWithAnEmptyLastComponentIsAnInvalidNameAndDestroysTheObject() {
    testDirectory("\\ObInsertTest");
    ObjectsFixture.Widget widget = f.widget();

    OpenResult inserted = ob.insertObject(widget, ObjectAttributes.of("\\ObInsertTest\\"), null,
        0, f.kernel, true, true);

    assertThat(inserted.status()).isEqualTo(STATUS_OBJECT_NAME_INVALID);
    assertThat(widget.isDeleted()).isTrue();
  }

  @Test
  void T26_insertWithARelativeNameAndNoRootIsPathSyntaxBadAndDestroysTheObject() {
    ObjectsFixture.Widget widget = f.widget();

    OpenResult inserted = ob.insertObject(widget, ObjectAttributes.of("ObInsertTest"), null,
        0, f.kernel, true, true);

    assertThat(inserted.status()).isEqualTo(STATUS_OBJECT_PATH_SYNTAX_BAD);
    assertThat(widget.isDeleted()).isTrue();
  }

  @Test
  void T27_insertWithAnExistingNameCollidesAndDestroysTheObject() {
    ObjectsFixture.Widget root = f.widget();
    assertThat(ob.insertObject(root, ObjectAttributes.of("\\"), null, 0, f.kernel, true, true).status())
        .isEqualTo(STATUS_OBJECT_NAME_COLLISION);
    assertThat(root.isDeleted()).isTrue();

    ObjectsFixture.Widget first = f.widget();
    ObjectsFixture.Widget second = f.widget();
    ob.insertObject(first, ObjectAttributes.of("\\Device\\Same", ObjectAttributes.OBJ_PERMANENT), null, 0, f.kernel, false, false);
    OpenResult collided = ob.insertObject(second, ObjectAttributes.of("\\device\\SAME"), null, 0, f.kernel, true, true);

    assertThat(collided.status()).isEqualTo(STATUS_OBJECT_NAME_COLLISION);
    assertThat(second.isDeleted()).isTrue();
    assertThat(first.isDeleted()).isFalse();
  }

  @Test
  void openIfOnAnExistingObjectOfTheSameTypeOpensItAndDestroysTheNewOne() {
    ObjectsFixture.Widget first = f.widget();
    ob.insertObject(first, ObjectAttributes.of("\\Device\\Shared", ObjectAttributes.OBJ_PERMANENT), null, 0, f.kernel, false, false);
    ObjectsFixture.Widget second = f.widget();

    OpenResult opened = ob.insertObject(second,
        ObjectAttributes.of("\\Device\\Shared", ObjectAttributes.OBJ_OPENIF), null,
        AccessMask.GENERIC_READ, f.kernel, true, false);

    assertThat(opened.status()).isEqualTo(STATUS_OBJECT_NAME_EXISTS);
    assertThat(opened.status().isSuccess()).isTrue();
    assertThat(second.isDeleted()).isTrue();
    Referenced<KernelObject> ref = ob.referenceByHandle(opened.handle(), 0, null, f.kernel);
    assertThat(ref.object()).isSameAs(first);
    ref.object().dereference();
  }

  @Test
  void T28_makingAPermanentDirectoryTemporaryRemovesItsNameWithTheLastHandle() {
    OpenResult created = ob.ntCreateDirectoryObject(f.kernel, AccessMask.DIRECTORY_ALL_ACCESS,
        ObjectAttributes.of("\\ObTemp", ObjectAttributes.OBJ_PERMANENT | ObjectAttributes.OBJ_CASE_INSENSITIVE));
    assertThat(created.status()).isEqualTo(STATUS_SUCCESS);
    OpenResult reader = ob.ntOpenDirectoryObject(f.admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\ObTemp"));
    assertThat(reader.status()).isEqualTo(STATUS_SUCCESS);

    assertThat(ob.ntMakeTemporaryObject(reader.handle(), f.admin)).isEqualTo(STATUS_ACCESS_DENIED);
    assertThat(ob.ntMakeTemporaryObject(created.handle(), f.kernel)).isEqualTo(STATUS_SUCCESS);
    assertThat(names()).contains("ObTemp");

    ob.close(created.handle(), f.kernel);
    assertThat(names()).contains("ObTemp");
    ob.close(reader.handle(), f.admin);
    assertThat(names()).doesNotContain("ObTemp");
    assertThat(ob.ntOpenDirectoryObject(f.kernel, 0, ObjectAttributes.of("\\ObTemp")).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void B44_aPermanentObjectKeepsItsNameWithNoHandlesUntilMadeTemporary() {
    ObjectsFixture.Widget widget = f.widget();
    ob.insertObject(widget, ObjectAttributes.of("\\Device\\Perm", ObjectAttributes.OBJ_PERMANENT),
        null, 0, f.kernel, true, false).handle();
    OpenResult handle = ob.openByName(ObjectAttributes.of("\\Device\\Perm"), f.widgetType, 0, f.kernel, null);
    ob.close(handle.handle(), f.kernel);
    assertThat(widget.handleCount()).isEqualTo(1);
    // Close the creation handle too: zero handles, still named.
    ob.kernelHandleTable().snapshot().stream()
        .filter(l -> l.entry().object() == widget)
        .forEach(l -> ob.close(l.handle(), f.kernel));
    assertThat(widget.handleCount()).isZero();
    assertThat(widget.fullName()).contains("\\Device\\Perm");
    assertThat(widget.isDeleted()).isFalse();

    ob.makeTemporary(widget);

    assertThat(widget.fullName()).isEmpty();
    assertThat(widget.isDeleted()).isTrue();
    assertThat(f.deletes).hasValue(1);
  }

  @Test
  void B44_aTemporaryObjectLosesItsNameWithItsLastHandleButLivesWhileReferenced() {
    ObjectsFixture.Widget widget = f.widget();
    OpenResult inserted = ob.insertObject(widget, ObjectAttributes.of("\\Device\\Temp"), null, 0,
        f.kernel, true, true);

    ob.close(inserted.handle(), f.kernel);

    assertThat(widget.fullName()).isEmpty();
    assertThat(widget.isDeleted()).isFalse();
    assertThat(widget.dereference()).isTrue();
  }

  @Test
  void B45_everyInsertFailureDestroysTheObjectExactlyOnce() {
    testDirectory("\\ObInsertTest");
    List<String> badNames = List.of("\\Missing\\X", "\\ObInsertTest\\", "ObInsertTest", "\\", "\\ObInsertTest\\\\X");
    for (String name : badNames) {
      ObjectsFixture.Widget widget = f.widget();
      NtStatus status = ob.insertObject(widget, ObjectAttributes.of(name), null, 0, f.kernel, true, true).status();
      assertThat(status.isSuccess()).as(name).isFalse();
      assertThat(widget.isDeleted()).as(name).isTrue();
    }
    assertThat(f.deletes).hasValue(badNames.size());
  }

  @Test
  void lookupIgnoresCaseAndFollowsTheDosDevicesLinks() {
    ObjectsFixture.Widget widget = f.widget();
    ob.insertObject(widget, ObjectAttributes.of("\\Device\\Echo", ObjectAttributes.OBJ_PERMANENT), null, 0, f.kernel, false, false);
    assertThat(ob.createKernelSymbolicLink("\\??\\Echo", "\\Device\\Echo")).isEqualTo(STATUS_SUCCESS);

    for (String name : List.of("\\device\\ECHO", "\\??\\Echo", "\\DosDevices\\echo", "\\GLOBAL??\\Echo")) {
      Referenced<KernelObject> found = ob.referenceByName(name, f.widgetType);
      assertThat(found.status()).as(name).isEqualTo(STATUS_SUCCESS);
      assertThat(found.object()).as(name).isSameAs(widget);
      found.object().dereference();
    }
    assertThat(ob.list(ob.dosDevicesDirectory())).extracting(DirectoryEntry::name).containsExactly("Echo");
  }

  @Test
  void openLinkOpensTheLinkItselfAndItsTargetCanBeQueried() {
    ob.createKernelSymbolicLink("\\??\\Thing", "\\Device\\Thing");
    OpenResult link = ob.ntOpenSymbolicLinkObject(f.admin, AccessMask.SYMBOLIC_LINK_QUERY, ObjectAttributes.of("\\??\\Thing"));
    assertThat(link.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(ob.ntQuerySymbolicLinkObject(f.admin, link.handle()).target()).isEqualTo("\\Device\\Thing");
    // The target does not exist: following the link fails at the target.
    assertThat(ob.openByName(ObjectAttributes.of("\\??\\Thing"), null, 0, f.kernel, null).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void aLoopOfSymbolicLinksGivesUpAfterThirtyTwoReparses() {
    ob.createKernelSymbolicLink("\\LoopA", "\\LoopB");
    ob.createKernelSymbolicLink("\\LoopB", "\\LoopA");

    assertThat(ob.openByName(ObjectAttributes.of("\\LoopA"), null, 0, f.kernel, null).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void aMissingIntermediateIsPathNotFoundAndAMissingLastIsNameNotFound() {
    assertThat(ob.openByName(ObjectAttributes.of("\\Nope\\X"), null, 0, f.kernel, null).status())
        .isEqualTo(STATUS_OBJECT_PATH_NOT_FOUND);
    assertThat(ob.openByName(ObjectAttributes.of("\\Device\\Nope"), null, 0, f.kernel, null).status())
        .isEqualTo(STATUS_OBJECT_NAME_NOT_FOUND);
  }

  @Test
  void aPathThroughAnObjectWithoutParseProcedureIsATypeMismatch() {
    ob.insertObject(f.widget(), ObjectAttributes.of("\\Device\\Leaf", ObjectAttributes.OBJ_PERMANENT), null, 0, f.kernel, false, false);
    assertThat(ob.openByName(ObjectAttributes.of("\\Device\\Leaf\\More"), null, 0, f.kernel, null).status())
        .isEqualTo(STATUS_OBJECT_TYPE_MISMATCH);
  }

  @Test
  void openingWithTheWrongTypeIsATypeMismatch() {
    assertThat(ob.openByName(ObjectAttributes.of("\\Device"), ob.symbolicLinkType(), 0, f.kernel, null).status())
        .isEqualTo(STATUS_OBJECT_TYPE_MISMATCH);
  }

  @Test
  void invalidAttributesAreRefused() {
    OpenResult opened = ob.openByName(new ObjectAttributes(Handle.NULL, UnicodeString.of("\\Device"), 0x10000),
        null, 0, f.kernel, null);
    assertThat(opened.status()).isEqualTo(STATUS_INVALID_PARAMETER);
  }

  @Test
  void aRelativeNameIsLookedUpFromTheRootHandle() {
    OpenResult device = ob.ntOpenDirectoryObject(f.admin, AccessMask.DIRECTORY_TRAVERSE | AccessMask.DIRECTORY_QUERY,
        ObjectAttributes.of("\\Device"));
    ObjectsFixture.Widget widget = f.widget();
    ob.insertObject(widget, ObjectAttributes.of("\\Device\\Rel", ObjectAttributes.OBJ_PERMANENT), null, 0, f.kernel, false, false);

    Referenced<KernelObject> found = ob.referenceByName(ObjectAttributes.relative(device.handle(), "rel"),
        f.widgetType, AccessMask.GENERIC_READ, f.admin, null);
    assertThat(found.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(found.object()).isSameAs(widget);
    found.object().dereference();

    assertThat(ob.referenceByName(ObjectAttributes.relative(device.handle(), "\\Rel"), null, 0, f.admin, null).status())
        .isEqualTo(STATUS_OBJECT_PATH_SYNTAX_BAD);
  }

  @Test
  void aStandardUserCannotCreateInARestrictedDirectoryButCanLook() {
    assertThat(ob.ntCreateDirectoryObject(f.user, AccessMask.DIRECTORY_ALL_ACCESS, ObjectAttributes.of("\\Mine")).status())
        .isEqualTo(STATUS_ACCESS_DENIED);
    OpenResult look = ob.ntOpenDirectoryObject(f.user, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Device"));
    assertThat(look.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(ob.ntOpenDirectoryObject(f.user, AccessMask.DIRECTORY_CREATE_OBJECT, ObjectAttributes.of("\\Device")).status())
        .isEqualTo(STATUS_ACCESS_DENIED);
    assertThat(ob.ntCreateDirectoryObject(f.admin, AccessMask.DIRECTORY_ALL_ACCESS, ObjectAttributes.of("\\Mine")).status())
        .isEqualTo(STATUS_SUCCESS);
  }

  @Test
  void aUserModePermanentObjectNeedsTheCreatePermanentPrivilege() {
    assertThat(ob.ntCreateDirectoryObject(f.admin, AccessMask.DIRECTORY_ALL_ACCESS,
        ObjectAttributes.of("\\Forever", ObjectAttributes.OBJ_PERMANENT)).status())
        .isEqualTo(STATUS_PRIVILEGE_NOT_HELD);
  }

  @Test
  void handleValuesAreMultiplesOfFourReusedMostRecentFirstAndIgnoreTheTagBits() {
    OpenResult a = ob.ntOpenDirectoryObject(f.admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Device"));
    OpenResult b = ob.ntOpenDirectoryObject(f.admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Device"));
    assertThat(a.handle()).isEqualTo(new Handle(4));
    assertThat(b.handle()).isEqualTo(new Handle(8));
    assertThat(ob.ntQueryDirectoryObject(f.admin, new Handle(0x9)).status()).isEqualTo(STATUS_SUCCESS);

    ob.close(a.handle(), f.admin);
    OpenResult c = ob.ntOpenDirectoryObject(f.admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Device"));
    assertThat(c.handle()).isEqualTo(new Handle(4));
  }

  @Test
  void closingAnUnknownOrAlreadyClosedHandleIsAnInvalidHandle() {
    OpenResult a = ob.ntOpenDirectoryObject(f.admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Device"));
    assertThat(ob.close(a.handle(), f.admin)).isEqualTo(STATUS_SUCCESS);
    assertThat(ob.close(a.handle(), f.admin)).isEqualTo(STATUS_INVALID_HANDLE);
    assertThat(ob.close(new Handle(0x400), f.admin)).isEqualTo(STATUS_INVALID_HANDLE);
    assertThat(ob.close(Handle.NULL, f.admin)).isEqualTo(STATUS_INVALID_HANDLE);
  }

  @Test
  void aUserModeCallerCannotUseAKernelHandleOrAnotherProcesssHandle() {
    OpenResult kernelHandle = ob.openByName(ObjectAttributes.of("\\Device", ObjectAttributes.OBJ_KERNEL_HANDLE),
        null, AccessMask.DIRECTORY_QUERY, f.kernel, null);
    assertThat(kernelHandle.handle().isKernelHandle()).isTrue();
    assertThat(ob.ntQueryDirectoryObject(f.admin, kernelHandle.handle()).status()).isEqualTo(STATUS_INVALID_HANDLE);

    OpenResult userHandle = ob.ntOpenDirectoryObject(f.user, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Device"));
    assertThat(ob.ntQueryDirectoryObject(f.admin, userHandle.handle()).status()).isEqualTo(STATUS_INVALID_HANDLE);
  }

  @Test
  void aUserModeOpenAskingForAKernelHandleGetsAUserHandle() {
    OpenResult opened = ob.openByName(ObjectAttributes.of("\\Device", ObjectAttributes.OBJ_KERNEL_HANDLE),
        null, AccessMask.DIRECTORY_QUERY, f.admin, null);
    assertThat(opened.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(opened.handle().isKernelHandle()).isFalse();
  }

  @Test
  void referencingAHandleForMoreThanItWasGrantedIsDeniedInUserModeOnly() {
    OpenResult query = ob.ntOpenDirectoryObject(f.admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Device"));
    assertThat(ob.referenceByHandle(query.handle(), AccessMask.DIRECTORY_CREATE_OBJECT, null, f.admin).status())
        .isEqualTo(STATUS_ACCESS_DENIED);
    Referenced<KernelObject> asKernel = ob.referenceByHandle(query.handle(), AccessMask.DIRECTORY_CREATE_OBJECT, null,
        new ObjectsFixture.TestCaller(f.admin.handleTable(), f.admin.token(), ntio.ddk.ProcessorMode.KERNEL));
    assertThat(asKernel.status()).isEqualTo(STATUS_SUCCESS);
    asKernel.object().dereference();
    assertThat(ob.referenceByHandle(query.handle(), 0, ob.symbolicLinkType(), f.admin).status())
        .isEqualTo(STATUS_OBJECT_TYPE_MISMATCH);
  }

  @Test
  void aProtectedHandleCannotBeClosedUntilTheFlagIsCleared() {
    OpenResult a = ob.ntOpenDirectoryObject(f.admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Device"));
    assertThat(ob.setHandleAttributes(a.handle(), HandleTable.PROTECT_FROM_CLOSE, f.admin)).isEqualTo(STATUS_SUCCESS);
    assertThat(ob.close(a.handle(), f.admin)).isEqualTo(STATUS_HANDLE_NOT_CLOSABLE);
    assertThat(ob.setHandleAttributes(a.handle(), 0, f.admin)).isEqualTo(STATUS_SUCCESS);
    assertThat(ob.close(a.handle(), f.admin)).isEqualTo(STATUS_SUCCESS);
  }

  @Test
  void duplicateCopiesAccessAndCanCloseTheSource() {
    OpenResult a = ob.ntOpenDirectoryObject(f.admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Device"));
    OpenResult copy = ob.duplicate(f.admin.handleTable(), a.handle(), f.user.handleTable(), 0, 0,
        ObjectManager.DUPLICATE_SAME_ACCESS | ObjectManager.DUPLICATE_CLOSE_SOURCE, f.admin);
    assertThat(copy.status()).isEqualTo(STATUS_SUCCESS);
    assertThat(f.admin.handleTable().count()).isZero();
    assertThat(ob.ntQueryObject(f.user, copy.handle()).info().grantedAccess())
        .isEqualTo(AccessMask.DIRECTORY_QUERY);
  }

  @Test
  void anExclusiveObjectRefusesHandlesFromASecondProcess() {
    ObjectsFixture.Widget widget = f.widget();
    OpenResult first = ob.insertObject(widget, ObjectAttributes.of("\\Device\\Excl", ObjectAttributes.OBJ_EXCLUSIVE),
        null, AccessMask.GENERIC_ALL, f.admin, true, false);
    assertThat(first.status()).isEqualTo(STATUS_SUCCESS);

    assertThat(ob.openByName(ObjectAttributes.of("\\Device\\Excl"), null, AccessMask.GENERIC_READ, f.user, null).status())
        .isEqualTo(STATUS_ACCESS_DENIED);
    OpenResult second = ob.openByName(ObjectAttributes.of("\\Device\\Excl"), null, AccessMask.GENERIC_READ, f.admin, null);
    assertThat(second.status()).isEqualTo(STATUS_SUCCESS);
  }

  @Test
  void runDownClosesEveryHandleAndRefusesNewOnes() {
    OpenResult created = ob.ntCreateDirectoryObject(f.admin, AccessMask.DIRECTORY_ALL_ACCESS, ObjectAttributes.of("\\Scratch"));
    ob.ntOpenDirectoryObject(f.admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Device"));
    assertThat(created.status()).isEqualTo(STATUS_SUCCESS);

    assertThat(ob.runDown(f.admin.handleTable())).isEqualTo(2);

    assertThat(names()).doesNotContain("Scratch");
    assertThat(f.admin.handleTable().count()).isZero();
    assertThat(ob.ntOpenDirectoryObject(f.admin, AccessMask.DIRECTORY_QUERY, ObjectAttributes.of("\\Device")).status())
        .isEqualTo(ntio.ddk.NtStatus.STATUS_PROCESS_IS_TERMINATING);
  }

  @Test
  void aParseProcedureReceivesTheRemainingNameAndMayReparse() {
    ObjectType parsing = ob.createType(ObjectType.builder("Parser").onParse(request -> {
      // As ObpLookupObjectName, the rest keeps its separator.
      if (request.remainingName().equals("\\go-elsewhere")) {
        return ParseProcedure.Result.reparse("\\Device\\Target");
      }
      request.parseObject().reference();
      return ParseProcedure.Result.found(STATUS_SUCCESS, request.parseObject(), 0x1);
    }));
    KernelObject parser = new KernelObject(parsing) {};
    ob.insertObject(parser, ObjectAttributes.of("\\Parser", ObjectAttributes.OBJ_PERMANENT), null, 0, f.kernel, false, false);
    ObjectsFixture.Widget target = f.widget();
    ob.insertObject(target, ObjectAttributes.of("\\Device\\Target", ObjectAttributes.OBJ_PERMANENT), null, 0, f.kernel, false, false);

    Referenced<KernelObject> reparsed = ob.referenceByName("\\Parser\\go-elsewhere", null);
    assertThat(reparsed.object()).isSameAs(target);
    reparsed.object().dereference();
    Referenced<KernelObject> itself = ob.referenceByName("\\Parser\\anything\\deeper", null);
    assertThat(itself.object()).isSameAs(parser);
    assertThat(itself.grantedAccess()).isEqualTo(0x1);
    itself.object().dereference();
  }

  @Test
  void aDirectoryOfOneHundredThousandEntriesFindsEachByName() {
    Directory big = testDirectory("\\Big");
    for (int i = 0; i < 100_000; i++) {
      ob.insertObject(f.widget(), ObjectAttributes.of("\\Big\\W" + i, ObjectAttributes.OBJ_PERMANENT), null, 0, f.kernel, false, false);
    }
    assertThat(ob.size(big)).isEqualTo(100_000);
    for (int i = 0; i < 100_000; i += 997) {
      Referenced<KernelObject> found = ob.referenceByName("\\big\\w" + i, f.widgetType);
      assertThat(found.object().name()).contains("W" + i);
      found.object().dereference();
    }
  }

  @Test
  void aDereferencePastZeroIsAnNtioBugNamingTheCount() {
    ObjectsFixture.Widget widget = f.widget();
    assertThat(widget.dereference()).isTrue();
    assertThatThrownBy(widget::dereference)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("pointer count 0")
        .hasMessageContaining("delta -1");
    assertThatThrownBy(widget::reference).isInstanceOf(IllegalStateException.class);
  }

  private List<String> names() {
    return ob.list(ob.rootDirectory()).stream().map(DirectoryEntry::name).toList();
  }
}
