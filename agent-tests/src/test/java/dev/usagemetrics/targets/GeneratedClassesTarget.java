package dev.usagemetrics.targets;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.dynamic.loading.ClassLoadingStrategy;
import net.bytebuddy.implementation.MethodDelegation;
import net.bytebuddy.implementation.SuperMethodCall;
import net.bytebuddy.implementation.bind.annotation.RuntimeType;
import net.bytebuddy.implementation.bind.annotation.SuperCall;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * A configured interface ({@link Store}) implemented by a named class and by the classes frameworks
 * generate at run time:
 *
 * <ul>
 *   <li>a JDK dynamic proxy whose handler does the work itself (what a Spring Data repository is);
 *   <li>a JDK dynamic proxy delegating to the named class, itself measured: one count per call;
 *   <li>a CGLIB-style subclass of the named class, defined by a lookup in its package and named as
 *       Spring names them, whose override calls an interceptor that calls {@code super} (what a
 *       {@code @Transactional} service is);
 *   <li>a ByteBuddy subclass in a class loader of its own (what a Hibernate entity proxy is).
 * </ul>
 *
 * Each way makes its own number of calls (a power of two), so one counted twice or not at all
 * cannot hide behind another. Prints {@code GENERATED success= validation= timeout=}, what the
 * application saw, and {@code GENERATED-CLASSES} with the generated classes' names and modules.
 */
public final class GeneratedClassesTarget {

  /** Configured persist target, method [persist]. Public: its proxies live in the JDK's dynamic module. */
  public interface Store {
    void persist(Object record) throws SQLException;
  }

  /** A record that makes a store fail, and how. */
  public enum Failure {
    INVALID,
    SLOW
  }

  /** The named implementation. */
  public static class NamedStore implements Store {
    @Override
    public void persist(Object record) throws SQLException {
      fail(record);
    }
  }

  /** What a transaction interceptor does around the generated override: calls the real method. */
  public static final class Interceptor {
    @RuntimeType
    public static Object intercept(@SuperCall Callable<?> realMethod) throws Exception {
      return realMethod.call();
    }
  }

  private static long success;
  private static long validation;
  private static long timeout;

  private GeneratedClassesTarget() {}

  public static void main(String[] args) throws Exception {
    Store named = new NamedStore();
    Store proxy = proxy((self, method, arguments) -> {
      fail(arguments[0]);
      return null;
    });
    Store delegatingProxy = proxy((self, method, arguments) -> {
      try {
        return method.invoke(named, arguments);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    });
    Store cglibStyle = cglibStyleSubclass().getDeclaredConstructor().newInstance();
    Store ownLoaderSubclass = ownLoaderSubclass().getDeclaredConstructor().newInstance();

    run(named, 1, 1, 1);
    run(proxy, 2, 2, 2);
    run(delegatingProxy, 4, 4, 4);
    run(cglibStyle, 8, 8, 8);
    run(ownLoaderSubclass, 16, 16, 16);

    List<String> generated = new ArrayList<>();
    for (Store store : List.of(proxy, delegatingProxy, cglibStyle, ownLoaderSubclass)) {
      generated.add(
          store.getClass().getName() + "@" + store.getClass().getModule().getName());
    }
    System.out.println("GENERATED-CLASSES " + String.join(" ", generated));
    System.out.println(
        "GENERATED success=" + success + " validation=" + validation + " timeout=" + timeout);
  }

  private static void fail(Object record) throws SQLException {
    if (record == Failure.INVALID) {
      throw new IllegalArgumentException("invalid record");
    }
    if (record == Failure.SLOW) {
      throw new SQLTimeoutException("statement timed out", "57014");
    }
  }

  private static Store proxy(InvocationHandler handler) {
    ClassLoader loader = GeneratedClassesTarget.class.getClassLoader();
    return (Store) Proxy.newProxyInstance(loader, new Class<?>[] {Store.class}, handler);
  }

  /** Like Spring's CGLIB proxies: in the target's package and loader, defined through a lookup. */
  private static Class<? extends NamedStore> cglibStyleSubclass() throws IllegalAccessException {
    // Pinned class-file version: this ByteBuddy predates the newest JDKs the test runs on.
    return new ByteBuddy(ClassFileVersion.JAVA_V11)
        .subclass(NamedStore.class)
        .name(NamedStore.class.getName() + "$$SpringCGLIB$$0")
        .method(ElementMatchers.named("persist"))
        .intercept(MethodDelegation.to(Interceptor.class))
        .make()
        .load(
            NamedStore.class.getClassLoader(),
            ClassLoadingStrategy.UsingLookup.of(
                MethodHandles.privateLookupIn(NamedStore.class, MethodHandles.lookup())))
        .getLoaded();
  }

  /** Like Hibernate's entity proxies: a subclass generated into a class loader of its own. */
  private static Class<? extends NamedStore> ownLoaderSubclass() {
    return new ByteBuddy(ClassFileVersion.JAVA_V11)
        .subclass(NamedStore.class)
        .name(NamedStore.class.getName() + "$HibernateProxy$generated")
        .method(ElementMatchers.named("persist"))
        .intercept(SuperMethodCall.INSTANCE)
        .make()
        .load(NamedStore.class.getClassLoader(), ClassLoadingStrategy.Default.WRAPPER)
        .getLoaded();
  }

  /** {@code units} successful calls, then {@code invalid} failing validation and {@code slow} timing out. */
  private static void run(Store store, int units, int invalid, int slow) throws SQLException {
    for (int i = 0; i < units * 5; i++) {
      store.persist("record " + i);
      success++;
    }
    for (int i = 0; i < invalid; i++) {
      try {
        store.persist(Failure.INVALID);
      } catch (IllegalArgumentException expected) {
        validation++;
      }
    }
    for (int i = 0; i < slow; i++) {
      try {
        store.persist(Failure.SLOW);
      } catch (SQLTimeoutException expected) {
        timeout++;
      }
    }
  }
}
