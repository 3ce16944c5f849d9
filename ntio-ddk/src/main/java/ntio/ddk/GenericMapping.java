package ntio.ddk;

/**
 * How an object type maps the four generic rights to its specific rights. Models
 * {@code GENERIC_MAPPING} and {@code RtlMapGenericMask} (full).
 *
 * @param genericRead the rights {@code GENERIC_READ} stands for
 * @param genericWrite the rights {@code GENERIC_WRITE} stands for
 * @param genericExecute the rights {@code GENERIC_EXECUTE} stands for
 * @param genericAll the rights {@code GENERIC_ALL} stands for
 */
public record GenericMapping(int genericRead, int genericWrite, int genericExecute, int genericAll) {

  /**
   * The mask with every generic bit replaced by the specific rights it stands for. Models
   * {@code RtlMapGenericMask}.
   */
  public int map(int mask) {
    int mapped = mask & ~AccessMask.GENERIC_RIGHTS;
    if ((mask & AccessMask.GENERIC_READ) != 0) {
      mapped |= genericRead;
    }
    if ((mask & AccessMask.GENERIC_WRITE) != 0) {
      mapped |= genericWrite;
    }
    if ((mask & AccessMask.GENERIC_EXECUTE) != 0) {
      mapped |= genericExecute;
    }
    if ((mask & AccessMask.GENERIC_ALL) != 0) {
      mapped |= genericAll;
    }
    return mapped;
  }
}
