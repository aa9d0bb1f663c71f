package dev.usagemetrics.agent.weaving;

import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.scaffold.TypeInitializer;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.auxiliary.AuxiliaryType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Applies ByteBuddy advice to a class file with one ASM read and write, the way ByteBuddy's own
 * class-format-preserving redefinition does, without the rest of ByteBuddy's type-creation
 * machinery (which an agent that only inlines advice would otherwise load at startup, about a
 * thousand classes).
 */
final class ClassWeaver {

  /** Advice that is inlined never needs auxiliary types; the name is only required by the API. */
  private static final AuxiliaryType.NamingStrategy NO_AUXILIARY_TYPES =
      new AuxiliaryType.NamingStrategy.Suffixing("usageMetrics");

  private ClassWeaver() {}

  /**
   * {@code classFile} with {@code advice} woven in; {@code type} describes that class file,
   * resolved by {@code pool}.
   */
  static byte[] weave(
      TypeDescription type, byte[] classFile, TypePool pool, AsmVisitorWrapper advice) {
    int writerFlags = advice.mergeWriter(AsmVisitorWrapper.NO_FLAGS);
    int readerFlags = advice.mergeReader(AsmVisitorWrapper.NO_FLAGS);
    if ((writerFlags & ClassWriter.COMPUTE_FRAMES) != 0) {
      // Computing frames would load classes from inside a transformation; inlined advice writes its
      // own.
      throw new IllegalStateException(
          "advice asks for frame computation, which the agent does not support");
    }
    ClassReader reader = OpenedClassReader.of(classFile);
    ClassWriter writer = new ClassWriter(reader, writerFlags);
    ClassFileVersion version = ClassFileVersion.ofClassFile(classFile);
    Implementation.Context.ExtractableView context =
        Implementation.Context.Disabled.Factory.INSTANCE.make(
            type,
            NO_AUXILIARY_TYPES,
            TypeInitializer.None.INSTANCE,
            version,
            version,
            frameGeneration(version, readerFlags));
    reader.accept(
        advice.wrap(
            type,
            writer,
            context,
            pool,
            type.getDeclaredFields(),
            type.getDeclaredMethods(),
            writerFlags,
            readerFlags),
        readerFlags);
    return writer.toByteArray();
  }

  private static Implementation.Context.FrameGeneration frameGeneration(
      ClassFileVersion version, int readerFlags) {
    if (!version.isAtLeast(ClassFileVersion.JAVA_V6)) {
      return Implementation.Context.FrameGeneration.DISABLED;
    }
    return (readerFlags & ClassReader.EXPAND_FRAMES) != 0
        ? Implementation.Context.FrameGeneration.EXPAND
        : Implementation.Context.FrameGeneration.GENERATE;
  }
}
