package ntio.kernel.registry;

import java.util.Optional;
import ntio.api.KeyInfoResult;
import ntio.kernel.objects.KernelObject;
import ntio.kernel.objects.ObjectType;

/**
 * An open registry key: the object a key handle refers to. Models the {@code CM_KEY_BODY} of an
 * open key (partial: the hive's key id plays the key control block). Each open makes its own key
 * object over the same key, as in NT; when the key is deleted every call through any of them
 * answers {@code STATUS_KEY_DELETED}.
 */
public final class KeyObject extends KernelObject {

  private final Hive hive;
  private final long keyId;

  KeyObject(ObjectType type, Hive hive, long keyId) {
    super(type);
    this.hive = hive;
    this.keyId = keyId;
  }

  /** The key's id in the hive. */
  public long keyId() {
    return keyId;
  }

  /**
   * The key's resolved full name, such as {@code \REGISTRY\MACHINE\SYSTEM\ControlSet001\Services\X}
   * — never a link's spelling (B9). Empty once the key is deleted.
   */
  @Override
  public Optional<String> fullName() {
    KeyInfoResult info = hive.info(keyId);
    return info.status().isSuccess() ? Optional.of(info.info().path()) : Optional.empty();
  }
}
