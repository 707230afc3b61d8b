package dev.tracelight.agent;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;
import org.junit.jupiter.api.Test;

class ClassWeaverTest {
  private static final String GREETER = "example.weaving.Greeter";
  private static final String GREETER_FILE = "example/weaving/Greeter";

  private final ClassLoader testLoader = ClassWeaverTest.class.getClassLoader();

  @Test
  void weavesTheAdviceOfTheModuleWhoseTypeMatcherNamesTheClass() throws Exception {
    ClassWeaver weaver = weaver(new TestModule(LibraryShape.ANY, new TestType(named(GREETER), "$SuffixAdvice")));
    byte[] woven = weaver.transform(null, testLoader, GREETER_FILE, null, null, greeterClassFile());
    assertThat(greet(woven, "Ada")).isEqualTo("Hello, Ada (woven)");
  }

  @Test
  void warmUpRunsTheWholeWeavingPathOnItsOwnClass() throws Exception {
    byte[] woven = weaver().warmUp();
    Class<?> type = new ClassLoader(testLoader) {
      Class<?> define() {
        return defineClass(ClassWeaver.WarmUp.class.getName(), woven, 0, woven.length);
      }
    }.define();
    Constructor<?> constructor = type.getDeclaredConstructor();
    constructor.setAccessible(true);
    Method greet = type.getDeclaredMethod("greet", String.class);
    greet.setAccessible(true);
    assertThat(greet.invoke(constructor.newInstance(), "Ada")).isEqualTo("Hello, Ada!");
  }

  @Test
  void leavesClassesThatNoModuleNamesAsTheyAre() {
    ClassWeaver weaver = weaver(new TestModule(LibraryShape.ANY,
        new TestType(named("example.weaving.Other"), "$SuffixAdvice")));
    assertThat(weaver.transform(null, testLoader, GREETER_FILE, null, null, greeterClassFile())).isNull();
  }

  @Test
  void leavesTheClassAsItIsWhereTheLibraryLacksTheModulesShape() {
    LibraryShape absent = LibraryShape.builder().type("org.example.absent.Library").build();
    ClassWeaver weaver = weaver(new TestModule(absent, new TestType(named(GREETER), "$SuffixAdvice")));
    assertThat(weaver.transform(null, testLoader, GREETER_FILE, null, null, greeterClassFile())).isNull();
  }

  @Test
  void addsNoFieldOrMethodSoThatLoadedClassesCanBeRetransformed() throws Exception {
    ClassWeaver weaver = weaver(new TestModule(LibraryShape.ANY, new TestType(named(GREETER), "$SuffixAdvice")));
    Class<?> woven = define(weaver.transform(null, testLoader, GREETER_FILE, null, null, greeterClassFile()));
    Class<?> original = Class.forName(GREETER);
    assertThat(members(woven)).isEqualTo(members(original)).contains("greet(java.lang.String)");
  }

  @Test
  void nestsTheAdviceOfEveryMatchingModuleWithTheFirstModuleOutermost() throws Exception {
    ClassWeaver weaver = weaver(new TestModule(LibraryShape.ANY, new TestType(named(GREETER), "$SuffixAdvice")),
        new TestModule(LibraryShape.ANY, new TestType(named(GREETER), "$ExclaimAdvice")));
    byte[] woven = weaver.transform(null, testLoader, GREETER_FILE, null, null, greeterClassFile());
    // the second module's exit advice runs first, inside the first one's
    assertThat(greet(woven, "Ada")).isEqualTo("Hello, Ada! (woven)");
  }

  @Test
  void preparesAModulesAdviceOnlyWhenOneOfItsTypesFirstMatches() {
    TestType greeter = new TestType(named(GREETER), "$SuffixAdvice");
    ClassWeaver weaver = weaver(new TestModule(LibraryShape.ANY, greeter));
    assertThat(weaver.transform(null, testLoader, "example/weaving/Other", null, null, greeterClassFile())).isNull();
    assertThat(greeter.prepared).hasValue(0);
    weaver.transform(null, testLoader, GREETER_FILE, null, null, greeterClassFile());
    weaver.transform(null, testLoader, GREETER_FILE, null, null, greeterClassFile());
    assertThat(greeter.prepared).hasValue(1);
  }

  @Test
  void skipsTheWholeModuleWhenPartOfItsAdviceCannotBePrepared() {
    TestType broken = new TestType(named("example.weaving.Other"), "$SuffixAdvice") {
      @Override
      public void transform(AdviceBinding advice) {
        throw new IllegalStateException("advice of another library version");
      }
    };
    ClassWeaver weaver = weaver(new TestModule(LibraryShape.ANY, new TestType(named(GREETER), "$SuffixAdvice"),
        broken));
    assertThat(weaver.transform(null, testLoader, GREETER_FILE, null, null, greeterClassFile())).isNull();
  }

  @Test
  void leavesTheClassAsItIsInsteadOfThrowingWhenTheAdviceDoesNotFitItsMethods() {
    ClassWeaver weaver = weaver(new TestModule(LibraryShape.ANY, new TestType(named(GREETER), "$MisfitAdvice")));
    assertThat(weaver.transform(null, testLoader, GREETER_FILE, null, null, greeterClassFile())).isNull();
  }

  @Test
  void leavesAClassLoadedDuringAnotherClassesWeavingAsItIs() {
    List<byte[]> nested = new ArrayList<>();
    ClassWeaver[] weaver = new ClassWeaver[1];
    ElementMatcher<TypeDescription> loadsAnotherClass = type -> {
      if (type.getName().equals(GREETER) && nested.isEmpty()) {
        nested.add(weaver[0].transform(null, testLoader, GREETER_FILE, null, null, greeterClassFile()));
      }
      return type.getName().equals(GREETER);
    };
    weaver[0] = weaver(new TestModule(LibraryShape.ANY, new TestType(loadsAnotherClass, "$SuffixAdvice")));
    assertThat(weaver[0].transform(null, testLoader, GREETER_FILE, null, null, greeterClassFile())).isNotNull();
    assertThat(nested).containsExactly((byte[]) null);
  }

  @Test
  void picksTheLoadedClassesToRetransformByName() {
    ClassWeaver weaver = weaver(new TestModule(LibraryShape.ANY,
        new TestType(named(ThreadPoolExecutor.class.getName()), "$SuffixAdvice")));
    assertThat(weaver.isCandidate(ThreadPoolExecutor.class)).isTrue();
    assertThat(weaver.isCandidate(String.class)).isFalse();
  }

  @Test
  void neverWeavesItsOwnOrByteBuddysClassesNorLambdasAndProxies() {
    assertThat(ClassWeaver.isIgnored("dev.tracelight.agent.ClassWeaver")).isTrue();
    assertThat(ClassWeaver.isIgnored("net.bytebuddy.ByteBuddy")).isTrue();
    assertThat(ClassWeaver.isIgnored("example.App$$Lambda$14/0x0000000800c03000")).isTrue();
    assertThat(ClassWeaver.isIgnored("jdk.proxy2.$Proxy9")).isTrue();
    assertThat(ClassWeaver.isIgnored("java.util.concurrent.ThreadPoolExecutor")).isFalse();
  }

  private ClassWeaver weaver(InstrumentationModule... modules) {
    List<ModuleAdvice> advice = new ArrayList<>();
    for (InstrumentationModule module : modules) {
      advice.add(ModuleAdvice.of(module));
    }
    return ClassWeaver.create(advice, testLoader);
  }

  private byte[] greeterClassFile() {
    try (InputStream in = testLoader.getResourceAsStream(GREETER_FILE + ".class")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private Object greet(byte[] classFile, String name) throws Exception {
    Class<?> greeter = define(classFile);
    Object instance = greeter.getConstructor().newInstance();
    return greeter.getMethod("greet", String.class).invoke(instance, name);
  }

  private Class<?> define(byte[] classFile) {
    assertThat(classFile).as("woven class file").isNotNull();
    return new DefiningLoader(testLoader).define(classFile);
  }

  private static List<String> members(Class<?> type) {
    List<String> members = new ArrayList<>();
    for (Field field : type.getDeclaredFields()) {
      members.add(field.getName());
    }
    for (Method method : type.getDeclaredMethods()) {
      members.add(method.getName() + Arrays.stream(method.getParameterTypes()).map(Class::getName)
          .collect(Collectors.joining(",", "(", ")")));
    }
    members.add(type.getDeclaredConstructors().length + " constructors");
    members.sort(null);
    return members;
  }

  private static final class DefiningLoader extends ClassLoader {
    DefiningLoader(ClassLoader parent) {
      super(parent);
    }

    Class<?> define(byte[] classFile) {
      return defineClass(GREETER, classFile, 0, classFile.length);
    }
  }

  private static final class TestModule extends InstrumentationModule {
    private final LibraryShape shape;
    private final List<TypeInstrumentation> types;

    TestModule(LibraryShape shape, TypeInstrumentation... types) {
      super("test");
      this.shape = shape;
      this.types = List.of(types);
    }

    @Override
    public LibraryShape shape() {
      return shape;
    }

    @Override
    public List<TypeInstrumentation> typeInstrumentations() {
      return types;
    }
  }

  private static class TestType implements TypeInstrumentation {
    final AtomicInteger prepared = new AtomicInteger();
    private final ElementMatcher<TypeDescription> typeMatcher;
    private final String advice;

    TestType(ElementMatcher<TypeDescription> typeMatcher, String adviceSuffix) {
      this.typeMatcher = typeMatcher;
      this.advice = ClassWeaverTest.class.getName() + adviceSuffix;
    }

    @Override
    public ElementMatcher<TypeDescription> typeMatcher() {
      return typeMatcher;
    }

    @Override
    public void transform(AdviceBinding binding) {
      prepared.incrementAndGet();
      binding.apply(named("greet"), advice);
    }
  }

  @SuppressWarnings("unused")
  static final class SuffixAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return(readOnly = false) String greeting) {
      greeting = greeting + " (woven)";
    }
  }

  @SuppressWarnings("unused")
  static final class ExclaimAdvice {
    @Advice.OnMethodExit(suppress = Throwable.class)
    static void exit(@Advice.Return(readOnly = false) String greeting) {
      greeting = greeting + "!";
    }
  }

  @SuppressWarnings("unused")
  static final class MisfitAdvice {
    @Advice.OnMethodEnter(suppress = Throwable.class)
    static void enter(@Advice.Argument(3) String fourthArgumentGreetDoesNotHave) {}
  }
}
