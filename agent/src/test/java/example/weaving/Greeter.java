package example.weaving;

/** A class outside the agent's own packages (which it never weaves), for ClassWeaverTest to weave. */
public final class Greeter {
  public String greet(String name) {
    return "Hello, " + name;
  }
}
