package org.macronet.jobs.sde;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.macronet.common.config.ConfigException;

/**
 * The per-component mean and standard deviation a macrostate is standardised by, z' = (z - mean) / sd:
 * the space the SDE's networks work in with {@code sde.standardise} (recorded in {@code model.json},
 * undone by {@code rollout}), and the scale of the MMD's components in {@code analyze}.
 */
record Standardisation(double[] mean, double[] sd) implements Serializable {
  /** Exact sums: 38 digits, 18 of them after the point. */
  private static final String EXACT = "decimal(38,18)";

  /**
   * The mean and population standard deviation of each of {@code columns} over {@code rows}, each
   * rounded to 4 significant digits (a standard deviation of 0 becomes 1). The sums of z and z^2 are
   * added as decimals of 18 places, exactly, so that no partitioning's order of additions can change them.
   */
  static Standardisation of(Dataset<Row> rows, List<String> columns) {
    List<Column> aggs = new ArrayList<>();
    for (String c : columns) {
      Column z = col(c);
      aggs.add(functions.sum(z.cast(EXACT)));
      aggs.add(functions.sum(z.multiply(z).cast(EXACT)));
    }
    Row r = rows.agg(functions.count("*"), aggs.toArray(Column[]::new)).first();
    ConfigException.require(r.getLong(0) > 0, "output.dir", "no pairs to standardise the macrostate by");
    BigDecimal n = BigDecimal.valueOf(r.getLong(0));
    double[] mean = new double[columns.size()];
    double[] sd = new double[columns.size()];
    MathContext mc = MathContext.DECIMAL128;
    for (int j = 0; j < columns.size(); j++) {
      if (r.isNullAt(1 + 2 * j) || r.isNullAt(2 + 2 * j)) {
        throw new IllegalArgumentException("column " + columns.get(j) + " of the pairs is not finite, or too large to "
            + "standardise");
      }
      BigDecimal m = r.getDecimal(1 + 2 * j).divide(n, mc);
      BigDecimal var = r.getDecimal(2 + 2 * j).divide(n, mc).subtract(m.multiply(m, mc), mc);
      mean[j] = round4(m.doubleValue());
      double s = round4(Math.sqrt(Math.max(0, var.doubleValue())));
      sd[j] = s > 0 ? s : 1.0;
    }
    return new Standardisation(mean, sd);
  }

  /** {@code x} to 4 significant digits. */
  static double round4(double x) {
    return x == 0 || !Double.isFinite(x) ? x : new BigDecimal(x).round(new MathContext(4)).doubleValue();
  }

  /** What {@link #json} wrote, or {@code null} for a missing node (a model that works on z itself). */
  static Standardisation read(JsonNode node) {
    if (node.isMissingNode()) {
      return null;
    }
    return new Standardisation(SdeArtifact.JSON.convertValue(node.path("mean"), double[].class),
        SdeArtifact.JSON.convertValue(node.path("sd"), double[].class));
  }

  /** {@code {"mean": [...], "sd": [...]}}. */
  ObjectNode json() {
    ObjectNode o = SdeArtifact.JSON.createObjectNode();
    o.set("mean", SdeArtifact.JSON.valueToTree(mean));
    o.set("sd", SdeArtifact.JSON.valueToTree(sd));
    return o;
  }

  /** {@code rows} with column j of each list in {@code columns} replaced by (z - mean_j) / sd_j. */
  Dataset<Row> apply(Dataset<Row> rows, List<List<String>> columns) {
    Dataset<Row> out = rows;
    for (List<String> side : columns) {
      for (int j = 0; j < side.size(); j++) {
        String c = side.get(j);
        out = out.withColumn(c, col(c).minus(mean[j]).divide(sd[j]));
      }
    }
    return out;
  }

  /** z to z' = (z - mean) / sd, in place. */
  void standardise(double[] z) {
    for (int j = 0; j < mean.length; j++) {
      z[j] = (z[j] - mean[j]) / sd[j];
    }
  }

  /** z' back to z = z' sd + mean, in place. */
  void restore(double[] z) {
    for (int j = 0; j < mean.length; j++) {
      z[j] = z[j] * sd[j] + mean[j];
    }
  }
}
