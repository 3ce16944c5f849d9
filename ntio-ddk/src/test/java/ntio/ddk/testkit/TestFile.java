package ntio.ddk.testkit;

import ntio.ddk.DeviceObject;
import ntio.ddk.FileObject;
import ntio.ddk.UnicodeString;

/** An open, told apart from others by identity, with the contexts a driver keeps in it. Models {@code FILE_OBJECT} (partial). */
final class TestFile implements FileObject {

  private final String name;
  private volatile Object fsContext;
  private volatile Object fsContext2;

  TestFile(String name) {
    this.name = name;
  }

  @Override
  public DeviceObject deviceObject() {
    return null;
  }

  @Override
  public UnicodeString fileName() {
    return UnicodeString.of(name);
  }

  @Override
  public int flags() {
    return 0;
  }

  @Override
  public Object fsContext() {
    return fsContext;
  }

  @Override
  public void setFsContext(Object context) {
    fsContext = context;
  }

  @Override
  public Object fsContext2() {
    return fsContext2;
  }

  @Override
  public void setFsContext2(Object context) {
    fsContext2 = context;
  }

  @Override
  public String toString() {
    return "TestFile[" + name + "]";
  }
}
