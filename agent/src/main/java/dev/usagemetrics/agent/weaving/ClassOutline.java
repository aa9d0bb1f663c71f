package dev.usagemetrics.agent.weaving;

import dev.usagemetrics.agent.matching.ClassFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * What the weaving needs to know of a class, read from its class file in one pass: its header and
 * its methods, each with the number of local variable slots and return instructions of its code.
 * Only the class file is read: nothing is loaded or resolved.
 */
final class ClassOutline {

  private final int version;
  private final int access;
  private final String internalName;
  private final String superName;
  private final List<String> interfaces;
  private final List<MethodOutline> methods;

  private ClassOutline(Reader reader) {
    this.version = reader.version;
    this.access = reader.access;
    this.internalName = reader.name;
    this.superName = reader.superName;
    this.interfaces = List.of(reader.interfaces);
    this.methods = Collections.unmodifiableList(reader.methods);
  }

  /** The outline of {@code classFile}, with what its methods' code says (local slots, returns). */
  static ClassOutline of(byte[] classFile) {
    return read(classFile, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
  }

  /**
   * The outline, without code (locals and returns are 0), of the class file {@code loader} offers
   * for {@code internalName}: a super type of a class being woven.
   *
   * @throws IOException when the loader offers none or it cannot be read
   */
  static ClassOutline headerAndMethods(ClassLoader loader, String internalName) throws IOException {
    byte[] classFile = ClassFiles.read(loader, internalName);
    if (classFile == null) {
      throw new IOException("the class file of " + internalName + " cannot be read");
    }
    return read(classFile, ClassReader.SKIP_CODE);
  }

  private static ClassOutline read(byte[] classFile, int readerFlags) {
    Reader reader = new Reader();
    new ClassReader(classFile).accept(reader, readerFlags);
    return new ClassOutline(reader);
  }

  /** The class file's major version (e.g. {@link Opcodes#V17}). */
  int version() {
    return version & 0xFFFF;
  }

  String internalName() {
    return internalName;
  }

  String binaryName() {
    return internalName.replace('/', '.');
  }

  /** Null for {@code java/lang/Object} and for interfaces' class files that name none (never, for javac's). */
  String superName() {
    return superName;
  }

  /** Internal names of the interfaces it names. */
  List<String> interfaces() {
    return interfaces;
  }

  boolean isInterface() {
    return (access & Opcodes.ACC_INTERFACE) != 0;
  }

  List<MethodOutline> methods() {
    return methods;
  }

  /** The package of {@code internalName} ("" for the unnamed package). */
  static String packageOf(String internalName) {
    int slash = internalName.lastIndexOf('/');
    return slash < 0 ? "" : internalName.substring(0, slash);
  }

  /** A method as its class file declares it. */
  static final class MethodOutline {
    private final int access;
    private final String name;
    private final String descriptor;
    private final String[] exceptions;
    private int maxLocals;
    private int returns;

    MethodOutline(int access, String name, String descriptor, String[] exceptions) {
      this.access = access;
      this.name = name;
      this.descriptor = descriptor;
      this.exceptions = exceptions;
    }

    int access() {
      return access;
    }

    String name() {
      return name;
    }

    String descriptor() {
      return descriptor;
    }

    /** Internal names of the declared exceptions; null when none. */
    String[] exceptions() {
      return exceptions;
    }

    /** Local variable slots its code uses (0 without code). */
    int maxLocals() {
      return maxLocals;
    }

    /** How many return instructions its code has. */
    int returns() {
      return returns;
    }

    /** A method (not a constructor or initializer) of instances, with code. */
    boolean isInstanceMethodWithBody() {
      return (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0
          && name.charAt(0) != '<';
    }

    boolean is(int flag) {
      return (access & flag) != 0;
    }

    /** Name and descriptor: what identifies it within its class. */
    String signature() {
      return name + descriptor;
    }
  }

  private static final class Reader extends ClassVisitor {
    int version;
    int access;
    String name;
    String superName;
    String[] interfaces;
    final List<MethodOutline> methods = new ArrayList<>();

    Reader() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visit(
        int version,
        int access,
        String name,
        String signature,
        String superName,
        String[] interfaces) {
      this.version = version;
      this.access = access;
      this.name = name;
      this.superName = superName;
      this.interfaces = interfaces == null ? new String[0] : interfaces;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      MethodOutline method = new MethodOutline(access, name, descriptor, exceptions);
      methods.add(method);
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitInsn(int opcode) {
          if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            method.returns++;
          }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
          method.maxLocals = maxLocals;
        }
      };
    }
  }
}
