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
 * Whether a class file's constant pool holds one of some names. A class can only declare a method
 * whose name is in its constant pool (a method names itself through a {@code CONSTANT_Utf8}
 * entry), so a class file holding none of the configured method names declares none of those
 * methods; it may still mention one otherwise (a call, a string): a mention is a possibility, its
 * absence a certainty. Looking costs one pass over the pool the header read has already indexed,
 * comparing bytes; no string is built.
 */
public final class MentionedNames {

  private static final int CONSTANT_UTF8 = 1;

  /** Each name as the class file encodes it (modified UTF-8, without the length). */
  private final List<byte[]> encodedNames = new ArrayList<>();
  /** Indexed by encoded length: whether some name has it, so that most entries are passed over at once. */
  private final boolean[] lengths;

  public MentionedNames(Collection<String> names) {
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

  /** True when the constant pool of the class file behind {@code classFile} holds one of the names. */
  public boolean anyIn(ClassReader classFile) {
    int entries = classFile.getItemCount();
    for (int index = 1; index < entries; index++) {
      int offset = classFile.getItem(index);
      // 0 marks the unusable slot after a long or a double; the tag is the byte before the entry.
      if (offset != 0 && classFile.readByte(offset - 1) == CONSTANT_UTF8) {
        int length = classFile.readUnsignedShort(offset);
        if (length < lengths.length
            && lengths[length]
            && holdsName(classFile, offset + 2, length)) {
          return true;
        }
      }
    }
    return false;
  }

  private boolean holdsName(ClassReader classFile, int start, int length) {
    for (byte[] name : encodedNames) {
      if (name.length == length && equalBytes(classFile, start, name)) {
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
