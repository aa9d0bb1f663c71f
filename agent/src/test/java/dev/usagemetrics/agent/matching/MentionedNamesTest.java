package dev.usagemetrics.agent.matching;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class MentionedNamesTest {

  private final MentionedNames names =
      new MentionedNames(List.of("save", "offer", "enregistrér", "𝔰ave"));

  @Test
  void aDeclaredMethodsNameIsFound() {
    assertTrue(names.anyIn(classDeclaring("offer")));
    assertTrue(names.anyIn(classDeclaring("enregistrér")), "non-ASCII, two-byte encoding");
    assertTrue(
        names.anyIn(classDeclaring("𝔰ave")), "a supplementary character, as two surrogates");
  }

  @Test
  void namesThatOnlyResembleOnesAreNot() {
    assertFalse(names.anyIn(classDeclaring("saves")));
    assertFalse(names.anyIn(classDeclaring("sav")));
    assertFalse(names.anyIn(classDeclaring("Save")));
    assertFalse(names.anyIn(classDeclaring("enregistrer")));
  }

  @Test
  void entriesAfterLongAndDoubleConstantsAreRead() {
    ClassWriter writer = classWriter();
    writer.newConst(Long.MAX_VALUE);
    writer.newConst(Math.PI);
    writer.newUTF8("save");
    assertTrue(names.anyIn(new ClassReader(writer.toByteArray())));
  }

  @Test
  void aMentionOtherThanADeclarationCountsAsAPossibility() {
    ClassWriter writer = classWriter();
    MethodVisitor code = writer.visitMethod(Opcodes.ACC_PUBLIC, "run", "()V", null, null);
    code.visitCode();
    code.visitLdcInsn("save");
    code.visitInsn(Opcodes.POP);
    code.visitInsn(Opcodes.RETURN);
    code.visitMaxs(1, 1);
    code.visitEnd();
    assertTrue(names.anyIn(new ClassReader(writer.toByteArray())));
  }

  @Test
  void noNamesMatchNothing() {
    assertFalse(new MentionedNames(List.of()).anyIn(classDeclaring("save")));
  }

  private static ClassReader classDeclaring(String methodName) {
    ClassWriter writer = classWriter();
    writer
        .visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT, methodName, "()V", null, null)
        .visitEnd();
    return new ClassReader(writer.toByteArray());
  }

  private static ClassWriter classWriter() {
    ClassWriter writer = new ClassWriter(0);
    writer.visit(
        Opcodes.V11,
        Opcodes.ACC_PUBLIC | Opcodes.ACC_ABSTRACT,
        "fixtures/Named",
        null,
        "java/lang/Object",
        null);
    return writer;
  }
}
