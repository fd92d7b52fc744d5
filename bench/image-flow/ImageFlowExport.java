import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.macronet.bench.ImageFlowBenchmark;
import org.macronet.training.flow.Flow;
import org.macronet.training.flow.FlowBlock;
import org.macronet.training.flow.Permutation;
import org.macronet.training.flow.image.ImageFlow;
import org.macronet.training.flow.image.MultiScale;

/**
 * Writes what same_function.py needs to check that image_flow_bench.py computes macronet's
 * function: the flat parameters (perturbed after the data-dependent initialisation, so that no
 * bias is zero), 4 Gaussian rows x, macronet's z, log-det and the gradient of
 * mean(0.5 |z|^2 - logdet), and the head's permutation; little-endian float32 files in DIR.
 * Run by same_function.sh: java ImageFlowExport.java I1|I2 DIR (classpath: the macronet jars).
 */
public final class ImageFlowExport {
  public static void main(String[] args) throws IOException {
    ImageFlow spec = args[0].equals("I1")
        ? ImageFlowBenchmark.turing(4, 4, new int[] {32, 64, 64, 64}, 2, 256)
        : ImageFlowBenchmark.turing(4, 2, new int[] {16, 32, 32, 32}, 2, 128);
    Path dir = Path.of(args[1]);
    Flow flow = spec.build(null);
    int n = 4;
    int dim = flow.dim();
    float[] params = new float[flow.parameterCount()];
    flow.initialise(params, 0, new SplittableRandom(0));
    SplittableRandom random = new SplittableRandom(5);
    float[] x = new float[n * dim];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    flow.initialiseFromData(params, 0, x, n);
    for (int i = 0; i < params.length; i++) {
      params[i] += (float) (0.02 * random.nextGaussian());
    }
    Flow.Workspace ws = flow.newWorkspace(n);
    flow.forward(params, 0, x, n, ws);
    float[] z = Arrays.copyOf(ws.output(), n * dim);
    float[] logdet = new float[n];
    float[] dz = new float[n * dim];
    float[] dLogdet = new float[n];
    for (int i = 0; i < n; i++) {
      logdet[i] = (float) ws.logdet()[i];
      dLogdet[i] = -1f / n;
    }
    for (int i = 0; i < dz.length; i++) {
      dz[i] = z[i] / n;
    }
    float[] grad = new float[params.length];
    flow.backward(params, 0, dz, dLogdet, n, ws, grad, 0, null);
    Flow deepest = flow;
    while (deepest.blocks().get(deepest.blocks().size() - 1) instanceof MultiScale m) {
      deepest = m.inner();
    }
    float[] perm = new float[0];
    for (FlowBlock b : deepest.blocks()) {
      if (b instanceof Permutation p) {
        int[] q = p.permutation();
        int at = perm.length;
        perm = Arrays.copyOf(perm, at + q.length);
        for (int j = 0; j < q.length; j++) {
          perm[at + j] = q[j];
        }
      }
    }
    write(dir.resolve("params.bin"), params);
    write(dir.resolve("x.bin"), x);
    write(dir.resolve("z.bin"), z);
    write(dir.resolve("logdet.bin"), logdet);
    write(dir.resolve("grad.bin"), grad);
    write(dir.resolve("perm.bin"), perm);
  }

  private static void write(Path file, float[] values) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      b.putFloat(v);
    }
    Files.write(file, b.array());
  }
}
