package ntio.drivers.filter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import ntio.ddk.DeviceObject;
import ntio.ddk.FileObject;
import ntio.ddk.MajorFunctions;
import ntio.ddk.NtStatus;
import ntio.ddk.testkit.TestIrp;
import ntio.ddk.testkit.TestKernel;
import org.junit.jupiter.api.Test;

class FilterDispatchTest {

  private final TestKernel kernel = new TestKernel();
  private final FilterCounters counters = new FilterCounters();
  private final DeviceObject echo = kernel.device("\\Device\\Echo", null);
  private final DeviceObject filter = kernel.device("filter", counters, echo);
  private final FilterDispatch dispatch = new FilterDispatch(kernel.services());
  private final FileObject file = TestKernel.file("alice");

  @Test
  void aReadGoesDownOnACopiedLocationWithTheByteCountingRoutineOnSuccessErrorAndCancel() {
    TestIrp read = TestIrp.read(file, 16);

    NtStatus returned = dispatch.passThrough(filter, read);

    assertThat(returned).as("Echo's answer").isEqualTo(NtStatus.STATUS_PENDING);
    assertThat(kernel.sentDown()).containsExactly(read);
    assertThat(read.isSkipped()).isFalse();
    assertThat(read.next().majorFunction()).isEqualTo(MajorFunctions.IRP_MJ_READ);
    assertThat(read.next().length()).isEqualTo(16);
    assertThat(read.next().fileObject()).isSameAs(file);
    assertThat(read.completionRoutine()).isNotNull();
    assertThat(read.completionContext()).isSameAs(counters);
    assertThat(read.invokeOn()).as("success, error and cancel").isEqualTo(0b111);
    assertThat(counters.get(MajorFunctions.IRP_MJ_READ)).isEqualTo(1);
  }

  @Test
  void aWriteGoesDownWithTheByteCountingRoutineToo() {
    TestIrp write = TestIrp.write(file, new byte[] {1, 2, 3});
    kernel.answerCallDriverWith(NtStatus.STATUS_SUCCESS);

    NtStatus returned = dispatch.passThrough(filter, write);

    assertThat(returned).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(write.isSkipped()).isFalse();
    assertThat(write.next().majorFunction()).isEqualTo(MajorFunctions.IRP_MJ_WRITE);
    assertThat(write.completionRoutine()).isNotNull();
  }

  @Test
  void anyOtherRequestGoesDownOnTheFiltersOwnLocationWithoutACompletionRoutine() {
    TestIrp cleanup = TestIrp.of(MajorFunctions.IRP_MJ_CLEANUP, file);
    kernel.answerCallDriverWith(NtStatus.STATUS_SUCCESS);

    dispatch.passThrough(filter, cleanup);

    assertThat(cleanup.isSkipped()).isTrue();
    assertThat(cleanup.completionRoutine()).isNull();
    assertThat(kernel.sentDown()).containsExactly(cleanup);
    assertThat(counters.get(MajorFunctions.IRP_MJ_CLEANUP)).isEqualTo(1);
  }

  @Test
  void theRoutineCountsTheBytesOfASuccessfulReadAndLetsCompletionGoOn() {
    TestIrp read = TestIrp.read(file, 16);
    read.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    read.ioStatus().setInformation(11);

    NtStatus returned = FilterDispatch.countTransferred(filter, read, counters);

    assertThat(returned).isNotEqualTo(NtStatus.STATUS_MORE_PROCESSING_REQUIRED);
    assertThat(returned.isSuccess()).isTrue();
    assertThat(counters.bytesRead()).isEqualTo(11);
    assertThat(counters.bytesWritten()).isZero();
  }

  @Test
  void theRoutineCountsTheBytesOfASuccessfulWriteAsWritten() {
    TestIrp write = TestIrp.write(file, new byte[5]);
    write.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    write.ioStatus().setInformation(5);

    FilterDispatch.countTransferred(filter, write, counters);

    assertThat(counters.bytesWritten()).isEqualTo(5);
    assertThat(counters.bytesRead()).isZero();
  }

  @Test
  void theRoutineCountsNothingForACancelledRead() {
    TestIrp read = TestIrp.read(file, 16);
    read.ioStatus().setStatus(NtStatus.STATUS_CANCELLED);

    NtStatus returned = FilterDispatch.countTransferred(filter, read, counters);

    assertThat(returned).isNotEqualTo(NtStatus.STATUS_MORE_PROCESSING_REQUIRED);
    assertThat(counters.bytesRead()).isZero();
  }

  @Test
  void theRoutineMarksTheFiltersLocationPendingWhenTheDriverBelowReturnedPending() {
    TestIrp read = TestIrp.read(file, 4);
    read.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);
    read.setPendingReturned(true);

    FilterDispatch.countTransferred(filter, read, counters);

    assertThat(read.isMarkedPending()).isTrue();
  }

  @Test
  void theRoutineLeavesPendingAloneWhenTheDriverBelowCompletedAtOnce() {
    TestIrp read = TestIrp.read(file, 4);
    read.ioStatus().setStatus(NtStatus.STATUS_SUCCESS);

    FilterDispatch.countTransferred(filter, read, counters);

    assertThat(read.isMarkedPending()).isFalse();
  }

  @Test
  void theBytesQueryIsAnsweredByTheFilterWithoutPassingItDown() {
    counters.countTransferred(MajorFunctions.IRP_MJ_READ, NtStatus.STATUS_SUCCESS, 6);
    counters.countTransferred(MajorFunctions.IRP_MJ_WRITE, NtStatus.STATUS_SUCCESS, 9);
    TestIrp query = TestIrp.deviceControl(file, FilterIoctl.IOCTL_FILTER_QUERY_BYTES, 16);

    NtStatus returned = dispatch.passThrough(filter, query);

    assertThat(returned).isEqualTo(NtStatus.STATUS_SUCCESS);
    assertThat(kernel.sentDown()).isEmpty();
    assertThat(kernel.completed()).containsExactly(query);
    assertThat(query.ioStatus().information()).isEqualTo(16);
    ByteBuffer answer = ByteBuffer.wrap(query.systemBuffer()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(answer.getLong(0)).isEqualTo(6);
    assertThat(answer.getLong(8)).isEqualTo(9);
    assertThat(counters.get(MajorFunctions.IRP_MJ_DEVICE_CONTROL)).isEqualTo(1);
  }

  @Test
  void theCountsQueryKeepsItsLayout() {
    TestIrp query =
        TestIrp.deviceControl(file, FilterIoctl.IOCTL_FILTER_QUERY_COUNTS, FilterIoctl.COUNTS_SIZE);

    dispatch.passThrough(filter, query);

    assertThat(query.ioStatus().information()).isEqualTo(224);
    ByteBuffer answer = ByteBuffer.wrap(query.systemBuffer()).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(answer.getLong(MajorFunctions.IRP_MJ_DEVICE_CONTROL * 8)).isEqualTo(1);
    assertThat(kernel.sentDown()).isEmpty();
  }
}
