package org.macronet.training.macronet;

import java.util.ArrayList;
import java.util.List;
import org.macronet.training.flow.ActNorm;
import org.macronet.training.flow.AffineCoupling;
import org.macronet.training.flow.Flow;
import org.macronet.training.flow.FlowBlock;
import org.macronet.training.flow.image.ChannelActNorm;
import org.macronet.training.flow.image.ChannelMixing;
import org.macronet.training.flow.image.MultiScale;
import org.macronet.training.nn.Subnet;

/**
 * Names, shapes and offsets of every tensor in a MacroNet's flat parameter array, in layout
 * order, e.g. {@code u.3.subnet.1.weight} [64, 64] (flow u, block 3, subnet layer 1, PyTorch's
 * [out, in] convention) or {@code v.0.log_scale} [16]. A shared network names its flow
 * {@code shared}. The views tile the array exactly, which is what weight files and checkpoints use.
 */
public final class ParameterLayout {
  /** One tensor: a view of {@code size()} floats at {@code offset}. */
  public record Entry(String name, int[] shape, int offset) {
    public int size() {
      int n = 1;
      for (int d : shape) {
        n *= d;
      }
      return n;
    }
  }

  private ParameterLayout() {}

  public static List<Entry> of(MacroNet net) {
    List<Entry> out = new ArrayList<>();
    if (net.shared()) {
      add(out, "shared", net.flowU(), net.baseU());
    } else {
      add(out, "u", net.flowU(), net.baseU());
      add(out, "v", net.flowV(), net.baseV());
    }
    return out;
  }

  /** Appends the tensors of {@code flow} at {@code base}; a multi-scale block's inner flow is {@code <block>.next}. */
  private static void add(List<Entry> out, String prefix, Flow flow, int base) {
    for (int k = 0; k < flow.blocks().size(); k++) {
      FlowBlock b = flow.blocks().get(k);
      int off = base + flow.offset(k);
      String name = prefix + "." + k + ".";
      if (b instanceof AffineCoupling c) {
        for (Subnet.Tensor t : c.subnet().tensors()) {
          out.add(new Entry(name + "subnet." + t.name(), t.shape(), off + t.offset()));
        }
      } else if (b instanceof ActNorm a) {
        out.add(new Entry(name + "log_scale", new int[] {a.dim()}, off));
        out.add(new Entry(name + "bias", new int[] {a.dim()}, off + a.dim()));
      } else if (b instanceof ChannelActNorm a) {
        out.add(new Entry(name + "log_scale", new int[] {a.channels()}, off));
        out.add(new Entry(name + "bias", new int[] {a.channels()}, off + a.channels()));
      } else if (b instanceof ChannelMixing m) {
        out.add(new Entry(name + "weight", new int[] {m.channels(), m.channels()}, off));
      } else if (b instanceof MultiScale m) {
        add(out, name + "next", m.inner(), off);
      } else if (b.parameterCount() > 0) {
        out.add(new Entry(name + "params", new int[] {b.parameterCount()}, off));
      }
    }
  }
}
