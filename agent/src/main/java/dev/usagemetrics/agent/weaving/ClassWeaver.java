package dev.usagemetrics.agent.weaving;

import dev.usagemetrics.agent.advice.MethodAdvice;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Weaves advice into the chosen methods of a class file, one ASM read and write per layer of
 * advice (a method rarely has more than one: a persist method that is also a queue method).
 * Nothing is loaded or resolved: stack map frames are rewritten from the class file's own, never
 * computed (computing them would load classes from inside a transformation).
 */
final class ClassWeaver {

  private ClassWeaver() {}

  /**
   * {@code classFile} with the advice woven in; {@code outline}: the class file's ({@link
   * ClassOutline#of}); {@code adviceBySignature}: each chosen method's advice (name and descriptor
   * to advice, innermost first).
   *
   * @throws IllegalArgumentException for a class file older than Java 5 (its code cannot name its
   *     own class as a constant)
   */
  static byte[] weave(
      byte[] classFile, ClassOutline outline, Map<String, List<MethodAdvice>> adviceBySignature) {
    if (outline.version() < Opcodes.V1_5) {
      throw new IllegalArgumentException(
          "class file version " + outline.version() + " (before Java 5) is not supported");
    }
    byte[] woven = weaveLayer(classFile, outline, adviceBySignature, 0);
    for (int layer = 1; hasLayer(adviceBySignature, layer); layer++) {
      woven = weaveLayer(woven, ClassOutline.of(woven), adviceBySignature, layer);
    }
    return woven;
  }

  private static boolean hasLayer(Map<String, List<MethodAdvice>> adviceBySignature, int layer) {
    for (List<MethodAdvice> advice : adviceBySignature.values()) {
      if (advice.size() > layer) {
        return true;
      }
    }
    return false;
  }

  /** The {@code layer}th advice of every method that has one. */
  private static byte[] weaveLayer(
      byte[] classFile,
      ClassOutline outline,
      Map<String, List<MethodAdvice>> adviceBySignature,
      int layer) {
    boolean writesFrames = outline.version() >= Opcodes.V1_7;
    ClassReader reader = new ClassReader(classFile);
    // Shares the constant pool: methods without advice are copied as they are.
    ClassWriter writer = new ClassWriter(reader, 0);
    reader.accept(
        new ClassVisitor(Opcodes.ASM9, writer) {
          private int methodIndex;

          @Override
          public MethodVisitor visitMethod(
              int access, String name, String descriptor, String signature, String[] exceptions) {
            ClassOutline.MethodOutline method = outline.methods().get(methodIndex++);
            MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
            List<MethodAdvice> advice = adviceBySignature.get(method.signature());
            if (advice == null || advice.size() <= layer) {
              return next;
            }
            return new AdviceWeavingMethod(
                next,
                advice.get(layer),
                outline.internalName(),
                access,
                descriptor,
                method.maxLocals(),
                method.returns(),
                writesFrames);
          }
        },
        ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }
}
