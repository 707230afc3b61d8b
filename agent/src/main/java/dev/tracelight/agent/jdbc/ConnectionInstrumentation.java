package dev.tracelight.agent.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.jdbc.JdbcCalls;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/** Remembers the SQL of each prepared or callable statement: JDBC offers no getter for it at execute time. */
final class ConnectionInstrumentation implements TypeInstrumentation {
  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return JdbcDrivers.connections();
  }

  @Override
  public void transform(AdviceBinding advice) {
    advice.apply(namedOneOf("prepareStatement", "prepareCall").and(takesArgument(0, String.class)),
        getClass().getName() + "$PrepareAdvice");
  }

  @SuppressWarnings("unused")
  public static final class PrepareAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) String sql, @Advice.Return Object statement) {
      JdbcCalls.prepared(statement, sql);
    }
  }
}
