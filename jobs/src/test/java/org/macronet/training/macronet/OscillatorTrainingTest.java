package org.macronet.training.macronet;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.macronet.analysis.stats.RankCorrelation;
import org.macronet.jobs.dataset.SimulatedPairs;
import org.macronet.simulation.PairSystem;
import org.macronet.simulation.prior.Prior;
import org.macronet.systems.oscillator.HarmonicOscillator;
import org.macronet.training.data.PairData;
import org.macronet.training.flow.Standardization;
import org.macronet.training.nn.Activation;
import org.macronet.training.optim.LearningRateSchedule;

/**
 * A quick end-to-end smoke test on a small oscillator dataset: after 1,500 steps the learned 1-d
 * macrostate is already close to a monotone function of energy. The bar itself
 * (|Spearman| >= 0.99 with the default configuration) is checked by the pipeline test.
 */
class OscillatorTrainingTest {

  static PairData oscillator(int rows, long seed) throws Exception {
    HarmonicOscillator sho = new HarmonicOscillator(Prior.of(HarmonicOscillator.PARAMETERS, HarmonicOscillator.defaultPrior()));
    try (PairSystem.BlockSimulator sim = sho.openSimulator()) {
      return SimulatedPairs.ofScalars(sho, sim.simulate(new PairSystem.Sampling(seed, 1), 0, rows));
    }
  }

  @Test
  void macrostateIsAMonotoneFunctionOfEnergy() throws Exception {
    PairData train = oscillator(4000, 1);
    PairData held = oscillator(1000, 2);
    MacroNetSpec spec = new MacroNetSpec(2, 2, 1, true, 6, new int[] {32, 32}, Activation.TANH, 2.0, true, 0.01, 7);
    Standardization st = Standardization.fit(train.u(), train.rows(), 2);
    MacroNet net = spec.build(st, null);
    MacroNetLoss loss = new MacroNetLoss(net, 1.0, 0.01, st.std(), st.std());
    long steps = Long.getLong("osc.steps", 1500);
    TrainSettings settings = new TrainSettings(steps, 256,
        new LearningRateSchedule(2e-3, LearningRateSchedule.Kind.COSINE, 100, steps, 0.05), 10, 11, 2, 0, 250);
    MacroNetTrainer trainer = new MacroNetTrainer(loss, settings);
    long t0 = System.nanoTime();
    TrainingState state = trainer.train(train, trainer.initialState(train), new TrainingListener() {
      @Override
      public void onProgress(Progress p) {
        System.out.printf("oscillator step %d loss %.4f L_P %.5f nll_u %.3f nll_v %.3f %.0f steps/s%n", p.stepsDone(), p.terms().loss(),
            p.terms().predictive(), p.terms().nllU(), p.terms().nllV(), p.stepsPerSecond());
      }
    });
    System.out.printf("trained in %.1f s%n", (System.nanoTime() - t0) / 1e9);
    float[] m = net.macrostatesU(state.params(), held.u(), held.rows());
    double[] macro = new double[held.rows()];
    double[] energy = new double[held.rows()];
    for (int i = 0; i < held.rows(); i++) {
      macro[i] = m[i];
      double x = held.u()[2 * i];
      double p = held.u()[2 * i + 1];
      energy[i] = 0.5 * (x * x + p * p);
    }
    double rho = RankCorrelation.spearman(macro, energy);
    System.out.println("spearman " + rho);
    assertTrue(Math.abs(rho) >= 0.95, "|Spearman(macrostate, energy)| = " + Math.abs(rho));
  }
}
