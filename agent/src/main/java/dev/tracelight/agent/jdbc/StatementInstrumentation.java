package dev.tracelight.agent.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tracelight.agent.AdviceBinding;
import dev.tracelight.agent.TypeInstrumentation;
import dev.tracelight.bootstrap.db.DbCall;
import dev.tracelight.bootstrap.jdbc.JdbcCalls;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code execute*} of Statement, PreparedStatement and CallableStatement, and the batch calls. A driver's execute
 * methods may call each other; the outermost one makes the span.
 */
final class StatementInstrumentation implements TypeInstrumentation {
  private static final String[] EXECUTE = {"execute", "executeQuery", "executeUpdate", "executeLargeUpdate"};

  @Override
  public ElementMatcher<TypeDescription> typeMatcher() {
    return JdbcDrivers.statements();
  }

  @Override
  public void transform(AdviceBinding advice) {
    String outer = getClass().getName();
    advice.apply(namedOneOf(EXECUTE).and(takesArgument(0, String.class)), outer + "$ExecuteSqlAdvice")
        .apply(namedOneOf(EXECUTE).and(takesArguments(0)), outer + "$ExecutePreparedAdvice")
        .apply(namedOneOf("executeBatch", "executeLargeBatch").and(takesArguments(0)), outer + "$ExecuteBatchAdvice")
        .apply(named("addBatch").and(takesArguments(String.class)), outer + "$AddBatchSqlAdvice")
        .apply(named("addBatch").and(takesArguments(0)), outer + "$AddBatchAdvice")
        .apply(named("clearBatch").and(takesArguments(0)), outer + "$ClearBatchAdvice");
  }

  @SuppressWarnings("unused")
  public static final class ExecuteSqlAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbCall enter(@Advice.This Object statement, @Advice.Argument(0) String sql) {
      return JdbcCalls.start(statement, sql);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter DbCall call, @Advice.Thrown Throwable error) {
      JdbcCalls.end(call, error);
    }
  }

  @SuppressWarnings("unused")
  public static final class ExecutePreparedAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbCall enter(@Advice.This Object statement) {
      return JdbcCalls.start(statement, null);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter DbCall call, @Advice.Thrown Throwable error) {
      JdbcCalls.end(call, error);
    }
  }

  @SuppressWarnings("unused")
  public static final class ExecuteBatchAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static DbCall enter(@Advice.This Object statement) {
      return JdbcCalls.startBatch(statement);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter DbCall call, @Advice.Thrown Throwable error) {
      JdbcCalls.end(call, error);
    }
  }

  @SuppressWarnings("unused")
  public static final class AddBatchSqlAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object statement, @Advice.Argument(0) String sql) {
      JdbcCalls.addBatch(statement, sql);
    }
  }

  @SuppressWarnings("unused")
  public static final class AddBatchAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object statement) {
      JdbcCalls.addBatch(statement, null);
    }
  }

  @SuppressWarnings("unused")
  public static final class ClearBatchAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object statement) {
      JdbcCalls.clearBatch(statement);
    }
  }
}
