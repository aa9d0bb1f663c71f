package dev.usagemetrics.agent.matching;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Whether a class file declares a method with one of some names, read from the class file's bytes
 * in one pass without building anything: its constant pool, noting the {@code CONSTANT_Utf8}
 * entries that are one of the names (a method names itself through one; most classes hold none,
 * and are answered at the pool's end), then, for a class that does, its methods' names. Nothing is
 * allocated for a class that holds none of the names.
 *
 * <p>Hand-written, not ASM's {@code ClassReader}: the transformer asks this of every class the
 * application loads, and {@code ClassReader}'s constructor indexes the whole pool (two arrays of
 * its size) before anything can be asked. The layout is the class file format's own (JVMS 4.1,
 * 4.4, 4.5, 4.6); {@code DeclaredMethodNamesTest} checks it on class files of every version the
 * agent weaves.
 */
public final class DeclaredMethodNames {

  // Constant pool tags (JVMS 4.4) and the size of each entry's body after its tag.
  private static final int UTF8 = 1;
  private static final int INTEGER = 3;
  private static final int FLOAT = 4;
  private static final int LONG = 5;
  private static final int DOUBLE = 6;
  private static final int CLASS = 7;
  private static final int STRING = 8;
  private static final int FIELD_REF = 9;
  private static final int METHOD_REF = 10;
  private static final int INTERFACE_METHOD_REF = 11;
  private static final int NAME_AND_TYPE = 12;
  private static final int METHOD_HANDLE = 15;
  private static final int METHOD_TYPE = 16;
  private static final int DYNAMIC = 17;
  private static final int INVOKE_DYNAMIC = 18;
  private static final int MODULE = 19;
  private static final int PACKAGE = 20;

  /** Where the constant pool's entry count is: after the magic number and the version. */
  private static final int POOL_COUNT_OFFSET = 8;

  /** Each name as the class file encodes it (modified UTF-8, without the length). */
  private final List<byte[]> encodedNames = new ArrayList<>();
  /** Indexed by encoded length: whether some name has it, so that most entries are passed over at once. */
  private final boolean[] lengths;

  public DeclaredMethodNames(Collection<String> names) {
    int longest = 0;
    for (String name : names) {
      byte[] encoded = modifiedUtf8(name);
      encodedNames.add(encoded);
      longest = Math.max(longest, encoded.length);
    }
    lengths = new boolean[longest + 1];
    for (byte[] encoded : encodedNames) {
      lengths[encoded.length] = true;
    }
  }

  /**
   * True when {@code classFile} declares a method named one of the names.
   *
   * @throws IllegalArgumentException for a constant pool entry this reading does not know
   */
  public boolean anyDeclaredBy(byte[] classFile) {
    int entries = u2(classFile, POOL_COUNT_OFFSET);
    int offset = POOL_COUNT_OFFSET + 2;
    // The pool indices of the entries that are one of the names; null while there are none.
    int[] nameEntries = null;
    int found = 0;
    for (int index = 1; index < entries; index++) {
      int tag = classFile[offset] & 0xFF;
      switch (tag) {
        case UTF8:
          int length = u2(classFile, offset + 1);
          if (isName(classFile, offset + 3, length)) {
            if (nameEntries == null) {
              nameEntries = new int[encodedNames.size()];
            } else if (found == nameEntries.length) {
              nameEntries = Arrays.copyOf(nameEntries, 2 * found);
            }
            nameEntries[found++] = index;
          }
          offset += 3 + length;
          break;
        case LONG:
        case DOUBLE:
          offset += 9;
          index++; // a long or double takes two entries
          break;
        case INTEGER:
        case FLOAT:
        case FIELD_REF:
        case METHOD_REF:
        case INTERFACE_METHOD_REF:
        case NAME_AND_TYPE:
        case DYNAMIC:
        case INVOKE_DYNAMIC:
          offset += 5;
          break;
        case CLASS:
        case STRING:
        case METHOD_TYPE:
        case MODULE:
        case PACKAGE:
          offset += 3;
          break;
        case METHOD_HANDLE:
          offset += 4;
          break;
        default:
          throw new IllegalArgumentException(
              "unknown constant pool tag " + tag + " at byte " + offset + " of the class file");
      }
    }
    if (found == 0) {
      return false;
    }
    // Past the access flags, this and super class, the interfaces and the fields, to the methods.
    offset += 6;
    offset += 2 + 2 * u2(classFile, offset);
    offset = pastMembers(classFile, offset, null, 0);
    return pastMembers(classFile, offset, nameEntries, found) < 0;
  }

  /**
   * The offset after the fields or methods table at {@code offset}; negative when a member's name
   * is one of the first {@code found} pool indices in {@code nameEntries} (none are checked when it
   * is null).
   */
  private static int pastMembers(byte[] classFile, int offset, int[] nameEntries, int found) {
    int members = u2(classFile, offset);
    offset += 2;
    for (int member = 0; member < members; member++) {
      if (nameEntries != null && contains(nameEntries, found, u2(classFile, offset + 2))) {
        return -1;
      }
      int attributes = u2(classFile, offset + 6);
      offset += 8;
      for (int attribute = 0; attribute < attributes; attribute++) {
        offset += 6 + u4(classFile, offset + 2);
      }
    }
    return offset;
  }

  private static boolean contains(int[] values, int count, int value) {
    for (int i = 0; i < count; i++) {
      if (values[i] == value) {
        return true;
      }
    }
    return false;
  }

  /** Whether the {@code length} bytes at {@code start} encode one of the names. */
  private boolean isName(byte[] classFile, int start, int length) {
    if (length >= lengths.length || !lengths[length]) {
      return false;
    }
    for (byte[] name : encodedNames) {
      if (name.length == length
          && Arrays.equals(classFile, start, start + length, name, 0, length)) {
        return true;
      }
    }
    return false;
  }

  private static int u2(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xFF) << 8) | (bytes[offset + 1] & 0xFF);
  }

  private static int u4(byte[] bytes, int offset) {
    return ((bytes[offset] & 0xFF) << 24)
        | ((bytes[offset + 1] & 0xFF) << 16)
        | ((bytes[offset + 2] & 0xFF) << 8)
        | (bytes[offset + 3] & 0xFF);
  }

  /** {@code name} in the class file's encoding: {@link DataOutputStream#writeUTF} writes it, after a length. */
  private static byte[] modifiedUtf8(String name) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeUTF(name);
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
    byte[] withLength = bytes.toByteArray();
    byte[] encoded = new byte[withLength.length - 2];
    System.arraycopy(withLength, 2, encoded, 0, encoded.length);
    return encoded;
  }
}
