package org.macronet.jobs.io;

import java.io.Serializable;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The rows of each input element's list, in order, computed one element at a time: what a Spark
 * task returns when each of its inputs (a design target, a simulated run, a batch of states to
 * encode) expands into several rows, without holding more than one element's rows.
 */
public final class Flattened<T, R> implements Iterator<R> {

  /** Expands one element into its rows; a checked exception is rethrown unchecked. */
  public interface Expand<T, R> extends Serializable {
    List<R> apply(T t) throws Exception;
  }

  private final Iterator<T> in;
  private final Expand<T, R> expand;
  private Iterator<R> current = Collections.emptyIterator();

  public Flattened(Iterator<T> in, Expand<T, R> expand) {
    this.in = in;
    this.expand = expand;
  }

  @Override
  public boolean hasNext() {
    while (!current.hasNext() && in.hasNext()) {
      try {
        current = expand.apply(in.next()).iterator();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    return current.hasNext();
  }

  @Override
  public R next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return current.next();
  }
}
