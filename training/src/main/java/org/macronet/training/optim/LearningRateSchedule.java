package org.macronet.training.optim;

import java.util.Locale;

/**
 * Learning rate of step t (0-based): linear warm-up over {@code warmupSteps}, then constant or a
 * cosine decay from {@code base} to {@code base * finalFraction} at {@code totalSteps}.
 */
public record LearningRateSchedule(double base, Kind kind, long warmupSteps, long totalSteps, double finalFraction)
    implements java.io.Serializable {
  public enum Kind {
    CONSTANT, COSINE;

    public static Kind parse(String s) {
      try {
        return valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown learning-rate schedule '" + s + "' (constant or cosine)");
      }
    }
  }

  public LearningRateSchedule {
    if (!(base > 0) || !Double.isFinite(base)) {
      throw new IllegalArgumentException("learning rate must be > 0, found " + base);
    }
    if (warmupSteps < 0 || totalSteps <= 0) {
      throw new IllegalArgumentException("warm-up must be >= 0 and total steps > 0, found " + warmupSteps + ", " + totalSteps);
    }
    if (!(finalFraction >= 0 && finalFraction <= 1)) {
      throw new IllegalArgumentException("final learning-rate fraction must lie in [0, 1], found " + finalFraction);
    }
  }

  public double at(long step) {
    if (step < warmupSteps) {
      return base * (step + 1) / warmupSteps;
    }
    if (kind == Kind.CONSTANT) {
      return base;
    }
    double span = Math.max(1, totalSteps - warmupSteps);
    double progress = Math.min(1.0, (step - warmupSteps) / span);
    return base * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
