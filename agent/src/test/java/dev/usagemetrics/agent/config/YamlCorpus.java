package dev.usagemetrics.agent.config;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.source.tree.BinaryTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.NewArrayTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreeScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/** YAML documents found in the repository, by where they were found. */
final class YamlCorpus {

  /** The repository, seen from the agent module (where its tests run). */
  static final Path REPOSITORY = Path.of("..");

  /** Stands for whatever a Java expression adds to a YAML line (a class name, an endpoint). */
  static final String PLACEHOLDER = "com.acme.Placeholder";

  private static final Pattern YAML_FENCE =
      Pattern.compile("^( *)```ya?ml\\n(.*?)^ *```", Pattern.MULTILINE | Pattern.DOTALL);

  private YamlCorpus() {}

  /** Every {@code *.yaml} and {@code *.yml} file under {@code dir}. */
  static Map<String, String> files(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      Map<String, String> documents = new LinkedHashMap<>();
      for (Path file : paths.sorted().collect(Collectors.toList())) {
        String name = file.getFileName().toString();
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
          documents.put(REPOSITORY.relativize(file).toString(), Files.readString(file));
        }
      }
      return documents;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The README and the docs. */
  static Path[] markdownFiles() {
    try (Stream<Path> docs = Files.list(REPOSITORY.resolve("docs"))) {
      return Stream.concat(
              Stream.of(REPOSITORY.resolve("README.md")),
              docs.filter(p -> p.toString().endsWith(".md")).sorted())
          .toArray(Path[]::new);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The {@code ```yaml} code blocks of markdown files, without the fence's indentation. */
  static Map<String, String> markdownBlocks(Path... markdownFiles) {
    Map<String, String> documents = new LinkedHashMap<>();
    for (Path file : markdownFiles) {
      Matcher block = YAML_FENCE.matcher(read(file));
      for (int i = 1; block.find(); i++) {
        String indent = block.group(1);
        documents.put(
            REPOSITORY.relativize(file) + " yaml block " + i,
            block.group(2).replaceAll("(?m)^" + indent, ""));
      }
    }
    return documents;
  }

  /**
   * The YAML in Java sources under {@code dir}: each run of string arguments of one call, or
   * elements of one array, that are literals (or literals joined with expressions, which become
   * {@link #PLACEHOLDER}) as the lines of a document; and each multi-line literal (text blocks) as
   * a document, {@code %s} replaced. Runs include strings that are not YAML (a file name before
   * the lines): such documents are only more variety.
   */
  static Map<String, String> javaSources(Path dir) {
    List<Path> sources;
    try (Stream<Path> paths = Files.walk(dir)) {
      sources =
          paths.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, String> documents = new LinkedHashMap<>();
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, UTF_8)) {
      JavacTask task = (JavacTask) javac.getTask(
          null, files, null, List.of(), null, files.getJavaFileObjectsFromPaths(sources));
      SourcePositions positions = Trees.instance(task).getSourcePositions();
      for (CompilationUnitTree unit : task.parse()) {
        String file = Path.of(unit.getSourceFile().toUri()).getFileName().toString();
        new TreeScanner<Void, Void>() {
          @Override
          public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
            addRuns(call.getArguments());
            return super.visitMethodInvocation(call, unused);
          }

          @Override
          public Void visitNewArray(NewArrayTree array, Void unused) {
            if (array.getInitializers() != null) {
              addRuns(array.getInitializers());
            }
            return super.visitNewArray(array, unused);
          }

          @Override
          public Void visitLiteral(LiteralTree literal, Void unused) {
            if (literal.getValue() instanceof String
                && ((String) literal.getValue()).contains("\n")) {
              add(literal, ((String) literal.getValue()).replace("%s", PLACEHOLDER));
            }
            return null;
          }

          private void addRuns(List<? extends ExpressionTree> expressions) {
            List<String> lines = new ArrayList<>();
            for (ExpressionTree expression : expressions) {
              String line = line(expression);
              if (line == null && !lines.isEmpty()) {
                add(expressions.get(0), String.join("\n", lines) + "\n");
                lines.clear();
              } else if (line != null) {
                lines.add(line);
              }
            }
            if (!lines.isEmpty()) {
              add(expressions.get(0), String.join("\n", lines) + "\n");
            }
          }

          private void add(Tree where, String document) {
            long line = unit.getLineMap().getLineNumber(positions.getStartPosition(unit, where));
            documents.putIfAbsent(file + ":" + line + " #" + documents.size(), document);
          }
        }.scan(unit, null);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return documents;
  }

  /** A string literal, or literals joined with other expressions by '+'; otherwise null. */
  private static String line(ExpressionTree expression) {
    if (expression instanceof LiteralTree) {
      Object value = ((LiteralTree) expression).getValue();
      return value instanceof String ? (String) value : null;
    }
    if (expression.getKind() != Tree.Kind.PLUS) {
      return null;
    }
    BinaryTree concatenation = (BinaryTree) expression;
    String left = line(concatenation.getLeftOperand());
    String right = line(concatenation.getRightOperand());
    if (left == null && right == null) {
      return null;
    }
    return (left == null ? PLACEHOLDER : left) + (right == null ? PLACEHOLDER : right);
  }

  static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
