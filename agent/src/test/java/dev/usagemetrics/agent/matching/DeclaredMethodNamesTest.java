package dev.usagemetrics.agent.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.usagemetrics.fixtures.ClassFileCorpus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class DeclaredMethodNamesTest {

  private final DeclaredMethodNames names =
      new DeclaredMethodNames(List.of("save", "offer", "enregistrér", "𝔰ave"));

  @Test
  void aDeclaredMethodsNameIsFound() {
    assertTrue(names.anyDeclaredBy(classDeclaring("offer")));
    assertTrue(names.anyDeclaredBy(classDeclaring("enregistrér")), "non-ASCII, two-byte encoding");
    assertTrue(
        names.anyDeclaredBy(classDeclaring("𝔰ave")),
        "a supplementary character, as two surrogates");
  }

  @Test
  void namesThatOnlyResembleOnesAreNot() {
    for (String other : List.of("saves", "sav", "Save", "enregistrer")) {
      assertFalse(names.anyDeclaredBy(classDeclaring(other)), other);
    }
  }

  @Test
  void aNameMentionedButNotDeclaredIsNot() {
    ClassWriter writer = classWriter();
    MethodVisitor code = writer.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
    code.visitCode();
    code.visitLdcInsn("save");
    code.visitInsn(Opcodes.POP);
    code.visitVarInsn(Opcodes.ALOAD, 0);
    code.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "fixtures/Named", "offer", "()V", false);
    code.visitInsn(Opcodes.RETURN);
    code.visitMaxs(1, 1);
    code.visitEnd();
    writer.visitField(Opcodes.ACC_PUBLIC, "save", "I", null, null).visitEnd();
    assertFalse(names.anyDeclaredBy(writer.toByteArray()));
  }

  @Test
  void methodsAreFoundPastEveryKindOfConstantInterfacesAndFieldsWithAttributes() {
    ClassWriter writer = classWriter("java/lang/Runnable", "java/io/Serializable");
    writer.newConst(Long.MAX_VALUE);
    writer.newConst(Math.PI);
    writer.newConst(42);
    writer.newConst(1.5f);
    writer.newConst("save?");
    writer.newField("fixtures/Named", "count", "I");
    writer.newMethod("fixtures/Named", "offer", "()V", false);
    writer.newMethod("fixtures/Pending", "offer", "()V", true);
    Handle bootstrap = new Handle(
        Opcodes.H_INVOKESTATIC,
        "java/lang/invoke/LambdaMetafactory",
        "metafactory",
        "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;"
            + "[Ljava/lang/Object;)Ljava/lang/invoke/CallSite;",
        false);
    writer.newMethodType("()V");
    writer.newInvokeDynamic("run", "()Ljava/lang/Runnable;", bootstrap);
    writer.newConstantDynamic("constant", "I", bootstrap);
    writer.newModule("java.base");
    writer.newPackage("fixtures");
    FieldVisitor field = writer.visitField(
        Opcodes.ACC_STATIC | Opcodes.ACC_FINAL, "LIMIT", "J", "J", Long.MIN_VALUE);
    field.visitAnnotation("Ljava/lang/Deprecated;", true).visitEnd();
    field.visitEnd();
    writer
        .visitField(Opcodes.ACC_PRIVATE, "pending", "Ljava/util/List;", "Ljava/util/List<*>;", null)
        .visitEnd();
    writer
        .visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "first", "()V", null, null)
        .visitEnd();
    writer
        .visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, "save", "()V", null, null)
        .visitEnd();
    assertTrue(names.anyDeclaredBy(writer.toByteArray()));
  }

  @Test
  void anUnknownConstantIsRefusedNotMisread() {
    byte[] classFile = classDeclaring("save");
    classFile[10] = 2; // the first constant's tag: 2 was never used
    IllegalArgumentException refused =
        assertThrows(IllegalArgumentException.class, () -> names.anyDeclaredBy(classFile));
    assertTrue(refused.getMessage().contains("unknown constant pool tag 2"), refused.getMessage());
  }

  @Test
  void noNamesMatchNothing() {
    assertFalse(new DeclaredMethodNames(List.of()).anyDeclaredBy(classDeclaring("save")));
  }

  /**
   * The canary of the hand-written walk over fields and methods: on real class files of every
   * version, each name a class declares is found, and each method it only calls is not, as ASM's
   * own parsing of the whole class says.
   */
  @Test
  void onRealClassFilesEveryDeclaredNameIsFoundAndNoCalledOne() throws Exception {
    Map<Integer, Integer> versions = new HashMap<>();
    int checked = 0;
    for (String library : ClassFileCorpus.LIBRARIES) {
      for (byte[] classFile : ClassFileCorpus.sample(library)) {
        ClassReader reader = new ClassReader(classFile);
        Set<String> declared = new LinkedHashSet<>();
        Set<String> called = new LinkedHashSet<>();
        reader.accept(new MethodNameCollector(declared, called), ClassReader.SKIP_FRAMES);
        called.removeAll(declared);
        List<String> candidates = new ArrayList<>(declared);
        candidates.addAll(called);
        for (String name : candidates) {
          assertEquals(
              declared.contains(name),
              new DeclaredMethodNames(List.of(name)).anyDeclaredBy(classFile),
              reader.getClassName() + " and " + name);
          checked++;
        }
        versions.merge(classFile[7] & 0xFF, 1, Integer::sum);
      }
    }
    assertTrue(checked > 10_000, checked + " names checked");
    assertTrue(
        versions.keySet().containsAll(Set.of(49, 50, 52, 55, 61)),
        "class file versions " + versions);
  }

  private static byte[] classDeclaring(String methodName) {
    ClassWriter writer = classWriter();
    writer
        .visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, methodName, "()V", null, null)
        .visitEnd();
    return writer.toByteArray();
  }

  private static ClassWriter classWriter(String... interfaces) {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(
        Opcodes.V11,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT,
        "fixtures/Named",
        null,
        "java/lang/Object",
        interfaces);
    return writer;
  }

  /** The names of the methods a class declares, and of those its code calls. */
  private static final class MethodNameCollector extends ClassVisitor {
    private final Set<String> declared;
    private final Set<String> called;

    MethodNameCollector(Set<String> declared, Set<String> called) {
      super(Opcodes.ASM9);
      this.declared = declared;
      this.called = called;
    }

    @Override
    public MethodVisitor visitMethod(
        int access, String name, String descriptor, String signature, String[] exceptions) {
      declared.add(name);
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public void visitMethodInsn(
            int opcode, String owner, String name, String descriptor, boolean isInterface) {
          called.add(name);
        }
      };
    }
  }
}
