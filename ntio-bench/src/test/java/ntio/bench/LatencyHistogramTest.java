package ntio.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

  @Test
  void everyValueLiesInItsBucketAndBucketsDoNotOverlap() {
    long previousUpper = -1;
    for (int index = 0; index < 40 * 16; index++) {
      long upper = LatencyHistogram.upperBound(index);
      assertThat(LatencyHistogram.bucket(previousUpper + 1)).isEqualTo(index);
      assertThat(LatencyHistogram.bucket(upper)).isEqualTo(index);
      previousUpper = upper;
    }
  }

  @Test
  void aPercentileIsWithinOneSixteenthOfItsPowerOfTwo() {
    LatencyHistogram histogram = new LatencyHistogram();
    for (long micros = 1; micros <= 1000; micros++) {
      histogram.record(micros * 1000);
    }

    assertThat(histogram.count()).isEqualTo(1000);
    assertThat(histogram.percentile(50)).isBetween(500_000L, 500_000L + 500_000L / 16);
    assertThat(histogram.percentile(99)).isBetween(990_000L, 990_000L + 990_000L / 16);
    assertThat(histogram.percentile(100)).isEqualTo(1_000_000L);
    assertThat(histogram.max()).isEqualTo(1_000_000L);
  }

  @Test
  void mergedHistogramsCountBoth() {
    LatencyHistogram a = new LatencyHistogram();
    LatencyHistogram b = new LatencyHistogram();
    a.record(100);
    b.record(5_000);
    a.add(b);

    assertThat(a.count()).isEqualTo(2);
    assertThat(a.percentile(50)).isBetween(100L, 106L);
    assertThat(a.max()).isEqualTo(5_000);
  }
}
