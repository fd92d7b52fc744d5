package org.macronet.training.linalg;

/** Chooses the {@link Elementwise} implementation once: the Vector API where available and allowed, else scalar. */
final class ElementwiseLoader {
  private static final String VECTOR = "org.macronet.training.linalg.VectorElementwise";
  static final Elementwise INSTANCE = load();

  private ElementwiseLoader() {}

  private static Elementwise load() {
    if (Boolean.getBoolean("macronet.training.scalar")
        || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return ScalarElementwise.INSTANCE;
    }
    try {
      return (Elementwise) Class.forName(VECTOR).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return ScalarElementwise.INSTANCE;
    }
  }
}
