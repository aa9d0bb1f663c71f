package dev.usagemetrics.agent.matching;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.objectweb.asm.ClassReader;

/**
 * Whether a class file declares a method with one of some names, read from the class file's
 * structure without building anything: first whether its constant pool holds one of the names at
 * all (a method names itself through a {@code CONSTANT_Utf8} entry; most classes hold none, and
 * that pass reuses the pool the header read has already indexed), then, for a class that does,
 * its methods' names. No string is built and nothing is allocated.
 *
 * <p>Walking the fields and methods is hand-written (ASM visits them only by parsing every
 * attribute of the class): the layout is the class file format's own (JVMS 4.1, 4.5, 4.6),
 * which never changed; {@code DeclaredMethodNamesTest} checks it on class files of every version
 * the agent weaves.
 */
public final class DeclaredMethodNames {

  private static final int CONSTANT_UTF8 = 1;

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

  /** True when the class file behind {@code classFile} declares a method named one of the names. */
  public boolean anyDeclaredBy(ClassReader classFile) {
    return inConstantPool(classFile) && amongMethods(classFile);
  }

  private boolean inConstantPool(ClassReader classFile) {
    int entries = classFile.getItemCount();
    for (int index = 1; index < entries; index++) {
      int offset = classFile.getItem(index);
      // 0 marks the unusable slot after a long or a double; the tag is the byte before the entry.
      if (offset != 0
          && classFile.readByte(offset - 1) == CONSTANT_UTF8
          && isName(classFile, offset)) {
        return true;
      }
    }
    return false;
  }

  /** Past the header's access, this and super class, the interfaces and the fields, to each method's name. */
  private boolean amongMethods(ClassReader classFile) {
    int offset = classFile.header + 6;
    offset += 2 + 2 * classFile.readUnsignedShort(offset);
    offset = pastMembers(classFile, offset, false);
    return pastMembers(classFile, offset, true) < 0;
  }

  /**
   * The offset after the fields or methods table at {@code offset}; negative when {@code
   * checkNames} and a member is named one of the names.
   */
  private int pastMembers(ClassReader classFile, int offset, boolean checkNames) {
    int members = classFile.readUnsignedShort(offset);
    offset += 2;
    for (int member = 0; member < members; member++) {
      if (checkNames
          && isName(classFile, classFile.getItem(classFile.readUnsignedShort(offset + 2)))) {
        return -1;
      }
      int attributes = classFile.readUnsignedShort(offset + 6);
      offset += 8;
      for (int attribute = 0; attribute < attributes; attribute++) {
        offset += 6 + classFile.readInt(offset + 2);
      }
    }
    return offset;
  }

  /** Whether the {@code CONSTANT_Utf8} entry at {@code offset} is one of the names. */
  private boolean isName(ClassReader classFile, int offset) {
    int length = classFile.readUnsignedShort(offset);
    if (length >= lengths.length || !lengths[length]) {
      return false;
    }
    for (byte[] name : encodedNames) {
      if (name.length == length && equalBytes(classFile, offset + 2, name)) {
        return true;
      }
    }
    return false;
  }

  private static boolean equalBytes(ClassReader classFile, int start, byte[] name) {
    for (int i = 0; i < name.length; i++) {
      if ((byte) classFile.readByte(start + i) != name[i]) {
        return false;
      }
    }
    return true;
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
