package dev.tracelight.agent;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/** Collects which advice applies to which methods of one instrumented type. */
public final class AdviceBinding {
  private final List<ElementMatcher<? super MethodDescription>> methods = new ArrayList<>();
  private final List<String> adviceClassNames = new ArrayList<>();

  AdviceBinding() {}

  /**
   * @param adviceClassName binary name of the advice class, e.g. {@code Outer.class.getName() + "$SendAdvice"}; a
   *     name rather than a Class so the advice is never loaded into the agent class loader
   */
  public AdviceBinding apply(ElementMatcher<? super MethodDescription> methods, String adviceClassName) {
    this.methods.add(methods);
    adviceClassNames.add(adviceClassName);
    return this;
  }

  /**
   * The advice, read from class files through {@code pool} (the advice class itself from the agent class loader, the
   * library types it names from the instrumented class's loader), inlined into the matching methods and constructors.
   * Exceptions thrown inside advice are dropped there.
   */
  AsmVisitorWrapper visitor(TypePool pool, ClassFileLocator classFiles) {
    AsmVisitorWrapper.ForDeclaredMethods visitor = new AsmVisitorWrapper.ForDeclaredMethods();
    for (int i = 0; i < methods.size(); i++) {
      Advice advice = Advice.to(pool.describe(adviceClassNames.get(i)).resolve(), classFiles)
          .withExceptionHandler(Advice.ExceptionHandler.Default.SUPPRESSING);
      visitor = visitor.invokable(methods.get(i), advice);
    }
    return visitor;
  }
}
