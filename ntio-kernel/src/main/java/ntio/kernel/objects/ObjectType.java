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

  /** The type's description, fixed at creation (a builder is never used again once built). */
  private final Builder spec;
  private final AtomicLong totalObjects = new AtomicLong();
  private final AtomicLong deletedObjects = new AtomicLong();

  private ObjectType(Builder builder, ObjectType typeType) {
    super(typeType);
    this.spec = builder.copy();
  }

  /** The type of types, whose own type is itself. */
  private ObjectType(Builder builder) {
    super();
    this.spec = builder.copy();
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
    return spec.name;
  }

  /** How generic rights map to this type's specific rights. */
  public GenericMapping genericMapping() {
    return spec.genericMapping;
  }

  /** The access bits that mean something for this type; others are dropped from requests. */
  public int validAccessMask() {
    return spec.validAccessMask;
  }

  /** The {@code OBJ_*} attributes a request for this type may not carry. */
  public int invalidAttributes() {
    return spec.invalidAttributes;
  }

  /** Whether names of this type are compared without case. */
  public boolean isCaseInsensitive() {
    return spec.caseInsensitive;
  }

  /** The descriptor given to a new named object of this type when the creator supplies none. */
  public SecurityDescriptor defaultSecurity() {
    return spec.defaultSecurity;
  }

  /** The parse procedure, or null when names stop at objects of this type. */
  ParseProcedure parseProcedure() {
    return spec.parseProcedure;
  }

  /** The query-name procedure, or null when an object's name is its place in the namespace. */
  QueryNameProcedure queryNameProcedure() {
    return spec.queryNameProcedure;
  }

  /**
   * Whether a name relative to a handle of this type goes whole to the type's parse procedure, as
   * NT's ObpLookupObjectName does for a File root: it may then start with {@code \}, end with one
   * or hold two in a row, all of which a directory walk refuses.
   */
  boolean parsesWholeRelativeNames() {
    return spec.parsesWholeRelativeNames;
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
    if (spec.deleteProcedure != null) {
      spec.deleteProcedure.delete(object);
    }
  }

  void runCloseProcedure(KernelObject object, HandleTable table, int access, long left) {
    if (spec.closeProcedure != null) {
      spec.closeProcedure.close(object, table, access, left);
    }
  }

  @Override
  public String describe() {
    return "Type " + spec.name;
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
    private QueryNameProcedure queryNameProcedure;
    private boolean parsesWholeRelativeNames;

    private Builder(String name) {
      this.name = Objects.requireNonNull(name, "name");
    }

    private Builder copy() {
      Builder copy = new Builder(name);
      copy.genericMapping = genericMapping;
      copy.validAccessMask = validAccessMask;
      copy.invalidAttributes = invalidAttributes;
      copy.caseInsensitive = caseInsensitive;
      copy.defaultSecurity = defaultSecurity;
      copy.deleteProcedure = deleteProcedure;
      copy.closeProcedure = closeProcedure;
      copy.parseProcedure = parseProcedure;
      copy.queryNameProcedure = queryNameProcedure;
      copy.parsesWholeRelativeNames = parsesWholeRelativeNames;
      return copy;
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

    /** The type answers ObjectNameInformation itself ({@code OB_QUERYNAME_METHOD}). */
    public Builder onQueryName(QueryNameProcedure procedure) {
      this.queryNameProcedure = procedure;
      return this;
    }

    /** See {@link ObjectType#parsesWholeRelativeNames()}: NT's rule for the File type. */
    public Builder parsesWholeRelativeNames(boolean value) {
      this.parsesWholeRelativeNames = value;
      return this;
    }
  }
}
