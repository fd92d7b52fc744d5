package org.macronet.systems.grayscott;

import java.util.LinkedHashMap;
import java.util.Map;
import org.macronet.common.config.Settings;
import org.macronet.experiment.DesignSettings;
import org.macronet.experiment.DesignStudy;
import org.macronet.experiment.StudyProvider;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.SimulatedSystem;
import org.macronet.simulation.SystemProvider;
import org.macronet.simulation.prior.Prior;
import org.macronet.simulation.prior.PriorEntry;

/** Registers {@link GrayScottSystem} as {@code system = grayscott}, with its {@code simulation.grayscott.*} keys. */
public final class GrayScottProvider implements SystemProvider, StudyProvider {

  @Override
  public String name() {
    return GrayScottSystem.NAME;
  }

  @Override
  public Map<String, PriorEntry> defaultPrior() {
    return GrayScottSystem.defaultPrior();
  }

  @Override
  public String defaultsResource() {
    return "/org/macronet/systems/grayscott/defaults.conf";
  }

  @Override
  public PairSystem create(Prior prior, Settings c) {
    String p = GrayScottSettings.PREFIX;
    GrayScottSettings settings = new GrayScottSettings(
        c.intValue(p + "size"),
        c.intValue(p + "steps"),
        c.doubleValue(p + "dt"),
        c.intValue(p + "discs"),
        c.doubleValue(p + "disc-radius"),
        c.doubleValue(p + "noise"),
        GrayScottSettings.KernelChoice.parse(p + "kernel", c.string(p + "kernel")),
        c.intValue(p + "batch"),
        c.intValue(p + "threads"));
    return new GrayScottSystem(prior, settings);
  }

  @Override
  public Map<String, Object> describe(SimulatedSystem system) {
    GrayScottSettings s = ((GrayScottSystem) system).settings();
    String p = GrayScottSettings.PREFIX;
    Map<String, Object> out = new LinkedHashMap<>();
    out.put(p + "size", s.size());
    out.put(p + "steps", s.steps());
    out.put(p + "dt", s.dt());
    out.put(p + "discs", s.discs());
    out.put(p + "disc-radius", s.discRadius());
    out.put(p + "noise", s.noise());
    out.put(p + "kernel", s.kernel().configValue());
    out.put(p + "batch", s.batch());
    out.put(p + "threads", s.threads());
    return out;
  }

  @Override
  public String system() {
    return GrayScottSystem.NAME;
  }

  /** The system's design study: {@link GrayScottStudy}. */
  @Override
  public DesignStudy create(PairSystem system, DesignSettings settings) {
    return new GrayScottStudy((GrayScottSystem) system, settings);
  }
}
