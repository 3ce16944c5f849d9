package ntio.kernel.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.function.Function;
import ntio.ddk.NtStatus;
import org.h2.mvstore.DataUtils;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The one read/change wrapper: a change commits on success and leaves nothing behind otherwise,
 * and each way a call can fail reaches its caller as a status.
 */
class RegistryLockTest {

  private static final long KEY = 7;

  private HiveFile stable;
  private CellStore volatileCells;
  private RegistryLock lock;

  @BeforeEach
  void openStores() {
    stable = HiveFile.inMemory();
    volatileCells = CellStore.inMemory();
    lock = new RegistryLock(stable, volatileCells);
    // As a hive starts: the root stored and committed. (An MVStore that never committed has no
    // version to roll back to.)
    NtStatus rooted =
        lock.change(
            () -> {
              HiveFile.putRoot(stable.cells(), Clock.systemUTC());
              return NtStatus.STATUS_SUCCESS;
            });
    assertThat(rooted).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  private NtStatus putKeyAndAnswer(NtStatus answer) {
    return lock.change(
        () -> {
          stable.cells().putKey(KEY, KeyCell.create(Hive.ROOT_ID, "K", 0, 0));
          return answer;
        });
  }

  private boolean keyIsStored() {
    return lock.read(status -> false, () -> stable.cells().key(KEY) != null);
  }

  @Test
  void aSuccessfulChangeIsCommitted() {
    assertThat(putKeyAndAnswer(NtStatus.STATUS_SUCCESS)).isEqualTo(NtStatus.STATUS_SUCCESS);

    assertThat(keyIsStored()).isTrue();
    assertThat(stable.cells().commit()).as("nothing left uncommitted").isFalse();
  }

  @Test
  void aChangeThatAnswersAFailureIsRolledBackAndReportsItsStatus() {
    assertThat(putKeyAndAnswer(NtStatus.STATUS_CANNOT_DELETE))
        .isEqualTo(NtStatus.STATUS_CANNOT_DELETE);

    assertThat(keyIsStored()).isFalse();
  }

  @Test
  void aChangeWhoseStoreThrowsIsRolledBackAndReportsRegistryIoFailed() {
    NtStatus status =
        lock.change(
            () -> {
              stable.cells().putKey(KEY, KeyCell.create(Hive.ROOT_ID, "K", 0, 0));
              throw DataUtils.newMVStoreException(DataUtils.ERROR_WRITING_FAILED, "planted");
            });

    assertThat(status).isEqualTo(NtStatus.STATUS_REGISTRY_IO_FAILED);
    assertThat(keyIsStored()).isFalse();
  }

  @Test
  void aFailedChangeAnswersWithTheResultTypesOwnFailure() {
    CreateKeyResult result =
        lock.change(
            CreateKeyResult::failed,
            CreateKeyResult::status,
            () -> {
              stable.cells().putKey(KEY, KeyCell.create(Hive.ROOT_ID, "K", 0, 0));
              return new CreateKeyResult(NtStatus.STATUS_SUCCESS, KEY, Hive.REG_CREATED_NEW_KEY);
            });
    assertThat(result.status()).isEqualTo(NtStatus.STATUS_SUCCESS);

    lock.seal();
    CreateKeyResult sealed =
        lock.change(
            CreateKeyResult::failed,
            CreateKeyResult::status,
            () -> {
              stable.cells().removeKey(KEY);
              return new CreateKeyResult(NtStatus.STATUS_SUCCESS, KEY, Hive.REG_CREATED_NEW_KEY);
            });

    assertThat(sealed.status()).isEqualTo(NtStatus.STATUS_SYSTEM_SHUTDOWN);
    assertThat(keyIsStored()).as("the sealed change was dropped").isTrue();
  }

  @Test
  void aReadWhoseStoreThrowsReportsRegistryIoFailedAndChangesNothing() {
    NtStatus status =
        lock.read(
            Function.identity(),
            () -> {
              throw DataUtils.newMVStoreException(DataUtils.ERROR_READING_FAILED, "planted");
            });

    assertThat(status).isEqualTo(NtStatus.STATUS_REGISTRY_IO_FAILED);
    assertThat(putKeyAndAnswer(NtStatus.STATUS_SUCCESS)).isEqualTo(NtStatus.STATUS_SUCCESS);
  }

  @Test
  void afterCloseEveryCallIsRefusedWithKeyDeletedWithoutRunning() {
    lock.close();

    assertThat(lock.read(Function.identity(), () -> NtStatus.STATUS_SUCCESS))
        .isEqualTo(NtStatus.STATUS_KEY_DELETED);
    assertThat(
            lock.change(
                () -> {
                  throw new AssertionError("a change ran on a closed hive");
                }))
        .isEqualTo(NtStatus.STATUS_KEY_DELETED);
  }

  @Test
  void aBatchCommitsItsChangesOnlyAtItsEnd() {
    lock.beginBatch();
    try {
      assertThat(putKeyAndAnswer(NtStatus.STATUS_SUCCESS)).isEqualTo(NtStatus.STATUS_SUCCESS);
      assertThat(stable.cells().key(KEY)).as("visible inside the batch").isNotNull();
    } finally {
      assertThat(lock.endBatch(NtStatus.STATUS_CANNOT_DELETE))
          .isEqualTo(NtStatus.STATUS_CANNOT_DELETE);
    }

    assertThat(keyIsStored()).as("a failed batch keeps nothing").isFalse();
  }
}
