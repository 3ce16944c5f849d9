package ntio.kernel.objects;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import ntio.ddk.GenericMapping;
import ntio.kernel.security.SecurityDescriptor;

/**
 * An object type: what the object manager knows about every object of one kind. Models
 * {@code OBJECT_TYPE} with its {@code OBJECT_TYPE_INITIALIZER} (partial: no pool type, quota
 * charges or security procedure; the procedures are Java interfaces).
 *
 * <p>Types are themselves objects, named in {@code \ObjectTypes}, of the type "Type".
 */
public final class ObjectType extends KernelObject {

  /** Called when an object's pointer count reaches zero; never under a kernel lock. */
  @FunctionalInterface
  public interface DeleteProcedure {
    void delete(KernelObject object);
  }

  /**
   * Called when a handle to an object is closed, after the handle left the table, with the
   * process's remaining handle count for the object. Models {@code OB_CLOSE_METHOD}.
   */
  @FunctionalInterface
  public interface CloseProcedure {
    void close(KernelObject object, HandleTable table, int grantedAccess, long handleCountLeft);
  }

  private final String typeName;
  private final GenericMapping genericMapping;
  private final int validAccessMask;
  private final int invalidAttributes;
  private final boolean caseInsensitive;
  private final SecurityDescriptor defaultSecurity;
  private final DeleteProcedure deleteProcedure;
  private final CloseProcedure closeProcedure;
  private final ParseProcedure parseProcedure;
  private final AtomicLong totalObjects = new AtomicLong();
  private final AtomicLong deletedObjects = new AtomicLong();

  private ObjectType(Builder builder, ObjectType typeType) {
    super(typeType);
    this.typeName = builder.name;
    this.genericMapping = builder.genericMapping;
    this.validAccessMask = builder.validAccessMask;
    this.invalidAttributes = builder.invalidAttributes;
    this.caseInsensitive = builder.caseInsensitive;
    this.defaultSecurity = builder.defaultSecurity;
    this.deleteProcedure = builder.deleteProcedure;
    this.closeProcedure = builder.closeProcedure;
    this.parseProcedure = builder.parseProcedure;
  }

  /** The type of types, whose own type is itself. */
  private ObjectType(Builder builder) {
    super();
    this.typeName = builder.name;
    this.genericMapping = builder.genericMapping;
    this.validAccessMask = builder.validAccessMask;
    this.invalidAttributes = builder.invalidAttributes;
    this.caseInsensitive = builder.caseInsensitive;
    this.defaultSecurity = builder.defaultSecurity;
    this.deleteProcedure = builder.deleteProcedure;
    this.closeProcedure = builder.closeProcedure;
    this.parseProcedure = builder.parseProcedure;
  }

  static ObjectType typeOfTypes(Builder builder) {
    return new ObjectType(builder);
  }

  static ObjectType create(Builder builder, ObjectType typeType) {
    return new ObjectType(builder, typeType);
  }

  /** Starts describing a type named {@code name}. */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** The type's name, such as {@code Device}. */
  public String typeName() {
    return typeName;
  }

  /** How generic rights map to this type's specific rights. */
  public GenericMapping genericMapping() {
    return genericMapping;
  }

  /** The access bits that mean something for this type; others are dropped from requests. */
  public int validAccessMask() {
    return validAccessMask;
  }

  /** The {@code OBJ_*} attributes a request for this type may not carry. */
  public int invalidAttributes() {
    return invalidAttributes;
  }

  /** Whether names of this type are compared without case. */
  public boolean isCaseInsensitive() {
    return caseInsensitive;
  }

  /** The descriptor given to a new named object of this type when the creator supplies none. */
  public SecurityDescriptor defaultSecurity() {
    return defaultSecurity;
  }

  /** The parse procedure, or null when names stop at objects of this type. */
  ParseProcedure parseProcedure() {
    return parseProcedure;
  }

  /** How many objects of this type were created. */
  public long totalObjects() {
    return totalObjects.get();
  }

  /** How many objects of this type exist now. */
  public long liveObjects() {
    return totalObjects.get() - deletedObjects.get();
  }

  void countCreated() {
    totalObjects.incrementAndGet();
  }

  void runDeleteProcedure(KernelObject object) {
    deletedObjects.incrementAndGet();
    if (deleteProcedure != null) {
      deleteProcedure.delete(object);
    }
  }

  void runCloseProcedure(KernelObject object, HandleTable table, int access, long left) {
    if (closeProcedure != null) {
      closeProcedure.close(object, table, access, left);
    }
  }

  @Override
  public String describe() {
    return "Type " + typeName;
  }

  /** Describes a type before it is created. Models {@code OBJECT_TYPE_INITIALIZER}. */
  public static final class Builder {
    private final String name;
    private GenericMapping genericMapping = new GenericMapping(0, 0, 0, 0);
    private int validAccessMask;
    private int invalidAttributes;
    private boolean caseInsensitive = true;
    private SecurityDescriptor defaultSecurity;
    private DeleteProcedure deleteProcedure;
    private CloseProcedure closeProcedure;
    private ParseProcedure parseProcedure;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    public Builder genericMapping(GenericMapping mapping) {
      this.genericMapping = Objects.requireNonNull(mapping);
      return this;
    }

    public Builder validAccessMask(int mask) {
      this.validAccessMask = mask;
      return this;
    }

    public Builder invalidAttributes(int attributes) {
      this.invalidAttributes = attributes;
      return this;
    }

    public Builder caseInsensitive(boolean value) {
      this.caseInsensitive = value;
      return this;
    }

    public Builder defaultSecurity(SecurityDescriptor descriptor) {
      this.defaultSecurity = descriptor;
      return this;
    }

    public Builder onDelete(DeleteProcedure procedure) {
      this.deleteProcedure = procedure;
      return this;
    }

    public Builder onClose(CloseProcedure procedure) {
      this.closeProcedure = procedure;
      return this;
    }

    public Builder onParse(ParseProcedure procedure) {
      this.parseProcedure = procedure;
      return this;
    }
  }
}
