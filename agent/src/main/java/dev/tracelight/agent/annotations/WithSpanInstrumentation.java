package dev.tracelight.agent.annotations;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isAnnotatedWith;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.annotations.WithSpanCall;
import dev.tracelight.bootstrap.annotations.WithSpanCalls;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Any type declaring an annotated method. The one matcher here that is not a plain name: annotations can sit on any
 * application class, so it reads the class's methods (from the class file bytes ByteBuddy already holds). Libraries
 * and the JDK, which never carry the application's annotations, are left out by name first to keep that cost on the
 * application's own classes.
 */
final class WithSpanInstrumentation implements TypeInstrumentation {
  private static final ElementMatcher.Junction<MethodDescription> ANNOTATED =
      isMethod().and(not(isAbstract())).and(isAnnotatedWith(named(WithSpanCalls.WITH_SPAN)));

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return not(libraries()).and(declaresMethod(ANNOTATED));
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(ANNOTATED, getClass().getName() + "$WithSpanAdvice");
  }

  private static ElementMatcher.Junction<TypeDescription> libraries() {
    ElementMatcher.Junction<TypeDescription> matcher = nameStartsWith("java.");
    for (String prefix : new String[] {"javax.", "jakarta.", "jdk.", "sun.", "com.sun.", "org.springframework.",
        "org.apache.", "org.eclipse.", "io.netty.", "reactor.", "io.micrometer.", "com.fasterxml.", "ch.qos.",
        "org.slf4j.", "org.hibernate.", "kotlin.", "kotlinx.", "scala.", "io.undertow.", "org.jboss.", "com.google.",
        "io.grpc.", String.join(".", "io", "opentelemetry", ""), "org.junit.", "org.yaml.", "com.zaxxer.",
        "org.h2.", "org.postgresql.",
        "com.mysql.", "redis.clients.", "io.lettuce.", "okhttp3.", "okio.", "org.aspectj."}) {
      matcher = matcher.or(nameStartsWith(prefix));
    }
    return matcher;
  }

  @SuppressWarnings("unused")
  public static final class WithSpanAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static WithSpanCall enter(@Advice.Origin Class<?> type, @Advice.Origin("#m") String method,
        @Advice.Origin("#d") String descriptor, @Advice.AllArguments Object[] args) {
      return WithSpanCalls.start(type, method, descriptor, args);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter WithSpanCall call,
        @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object returned, @Advice.Thrown Throwable error) {
      WithSpanCalls.end(call, returned, error);
    }
  }
}
