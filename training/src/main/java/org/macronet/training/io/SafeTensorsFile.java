package org.macronet.training.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.macronet.training.io.SafeTensors.DoubleTensor;
import org.macronet.training.io.SafeTensors.Entry;
import org.macronet.training.io.SafeTensors.LongTensor;
import org.macronet.training.io.SafeTensors.Tensor;

/**
 * The content of a safetensors file as {@link SafeTensors#read} returns it: the tensors in file
 * order, each in its own array at offset 0, and the {@code __metadata__} strings sorted by key.
 */
public final class SafeTensorsFile {
  private final List<Entry> tensors;
  private final Map<String, Entry> byName;
  private final Map<String, String> metadata;

  public SafeTensorsFile(List<? extends Entry> tensors, Map<String, String> metadata) {
    this.tensors = List.copyOf(tensors);
    this.metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    Map<String, Entry> index = new LinkedHashMap<>();
    for (Entry t : this.tensors) {
      if (index.put(t.name(), t) != null) {
        throw new IllegalArgumentException("tensor '" + t.name() + "' appears twice");
      }
    }
    this.byName = Collections.unmodifiableMap(index);
  }

  /** All tensors, in file order. */
  public List<Entry> tensors() {
    return tensors;
  }

  /** The tensor names, in file order. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** The {@code __metadata__} strings, sorted by key; empty when the file has none. */
  public Map<String, String> metadata() {
    return metadata;
  }

  public boolean contains(String name) {
    return byName.containsKey(name);
  }

  /** The tensor called {@code name}, of any dtype. */
  public Entry entry(String name) {
    Entry t = byName.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no tensor '" + name + "' in the file; it has " + byName.keySet());
    }
    return t;
  }

  /** The {@code F32} tensor called {@code name}. */
  public Tensor tensor(String name) {
    return as(name, Tensor.class);
  }

  /** The {@code F64} tensor called {@code name}. */
  public DoubleTensor doubleTensor(String name) {
    return as(name, DoubleTensor.class);
  }

  /** The {@code I64} tensor called {@code name}. */
  public LongTensor longTensor(String name) {
    return as(name, LongTensor.class);
  }

  private <T extends Entry> T as(String name, Class<T> type) {
    Entry t = entry(name);
    if (!type.isInstance(t)) {
      throw new IllegalArgumentException("tensor '" + name + "' is " + t.dtype() + ", not "
          + (type == Tensor.class ? "F32" : type == DoubleTensor.class ? "F64" : "I64"));
    }
    return type.cast(t);
  }

  @Override
  public String toString() {
    return "SafeTensorsFile" + names() + " metadata=" + metadata;
  }
}
