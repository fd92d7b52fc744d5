package org.macronet.jobs;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SecurityManager;
import org.apache.spark.SparkConf;
import org.apache.spark.deploy.master.Master$;
import org.apache.spark.rpc.RpcAddress$;
import org.apache.spark.rpc.RpcAddress;
import org.apache.spark.rpc.RpcEnv$;
import org.apache.spark.rpc.netty.NettyRpcEnv;
import org.macronet.common.config.ConfigException;
import scala.Option;

/**
 * Before a driver starts on a Spark standalone cluster, connects to the master with the driver's
 * own security settings, as the driver's registration does first, and turns a refusal into a
 * configuration error that names the cause.
 *
 * <p>Why: Spark registers an application with the master in the background. When the master
 * closes the connection because the driver's {@code spark.authenticate.secret} is not the
 * cluster's, or because the driver has {@code spark.authenticate} off while the cluster requires
 * it, Spark logs a warning, tries twice more 20 s apart, stops the SparkContext ("All masters are
 * unresponsive! Giving up.") and the job fails on its next Spark call with "Cannot call methods
 * on a stopped SparkContext": a minute later, without the cause. The refusal itself comes in
 * well under a second.
 *
 * <p>What is checked, with the RPC environment Spark builds for a driver (same transport, same
 * authentication bootstrap):
 * <ul>
 *   <li>a driver with {@code spark.authenticate} on: the authentication handshake alone, on this
 *       thread; a handshake that fails means the master did not accept the secret;</li>
 *   <li>a driver without: a lookup of the master's endpoint, which a master that requires
 *       authentication answers with {@value #SASL_EXPECTED}.</li>
 * </ul>
 * A master that cannot be reached or does not answer in time is left to Spark's registration,
 * which reports it as before.
 */
final class MasterHandshake {
  static final String AUTHENTICATE = "spark.authenticate";
  static final String SECRET = "spark.authenticate.secret";
  /**
   * What a master that requires authentication answers a first message that is not an
   * authentication message (Spark's {@code SaslRpcHandler}, the same since Spark 1.2).
   */
  static final String SASL_EXPECTED = "Expected SaslMessage";
  /** How long to wait for the master (connection, handshake, lookup); a refusal takes well under a second. */
  private static final String TIMEOUT = "10s";
  private static final String WHERE = "spark.authenticate=true and spark.authenticate.secret must match the"
      + " cluster's (the spark-defaults.conf of its master and workers); a driver reads them from the properties"
      + " file of spark-submit (--properties-file FILE, or $SPARK_HOME/conf/spark-defaults.conf) or from bin/macronet"
      + " --set spark.authenticate=true --set spark.authenticate.secret=...; see deploy/README.md, section 2";

  private MasterHandshake() {}

  /**
   * Checks that the standalone master(s) of {@code driverConf}'s {@code spark.master} accept a
   * driver with its security settings; does nothing for any other master.
   *
   * @throws ConfigException when a master refused the driver because of authentication, or the
   *     driver has {@code spark.authenticate} on without a secret
   */
  static void verify(SparkConf driverConf) {
    String master = driverConf.get("spark.master", "");
    if (!master.startsWith("spark://")) {
      return;
    }
    SparkConf conf = driverConf.clone().set("spark.rpc.io.connectionTimeout", TIMEOUT)
        .set("spark.network.auth.rpcTimeout", TIMEOUT).set("spark.rpc.lookupTimeout", TIMEOUT);
    boolean authenticates = conf.getBoolean(AUTHENTICATE, false);
    // as SparkContext creates it (a driver may also read its secret from spark.authenticate.secret.driver.file)
    SecurityManager security = new SecurityManager(conf, Option.empty(),
        org.apache.spark.internal.config.package$.MODULE$.AUTH_SECRET_FILE_DRIVER());
    try {
      security.initializeAuth();
    } catch (IllegalArgumentException e) {
      throw new ConfigException(SECRET, "missing: spark.authenticate is true but the driver has no secret, and a"
          + " standalone cluster generates none. " + WHERE);
    }
    // client mode: no server is started, so the address is never bound
    NettyRpcEnv rpc = (NettyRpcEnv) RpcEnv$.MODULE$.create("macronet-master-handshake", "127.0.0.1", "127.0.0.1", 0,
        conf, security, 1, true);
    try {
      for (String url : masters(master)) {
        RpcAddress address = RpcAddress$.MODULE$.fromSparkURL(url);
        try {
          if (authenticates) {
            rpc.createClient(address).close();
          } else {
            rpc.setupEndpointRef(address, Master$.MODULE$.ENDPOINT_NAME());
          }
          return;
        } catch (Exception e) { // Spark's SparkException is checked, though Scala does not declare it
          if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return;
          }
          ConfigException refusal = refusal(url, authenticates, e);
          if (refusal != null) {
            throw refusal;
          }
        }
      }
    } finally {
      rpc.shutdown();
      rpc.awaitTermination();
    }
  }

  /**
   * The configuration error for master {@code url}'s answer {@code e}, or {@code null} when
   * {@code e} does not show that the master refused the driver's authentication (the master could
   * not be reached, did not answer in time, or failed otherwise).
   *
   * @param authenticates whether the driver has {@code spark.authenticate} on: then {@code e}
   *     comes from the handshake, otherwise from the endpoint lookup
   */
  static ConfigException refusal(String url, boolean authenticates, Throwable e) {
    if (authenticates) {
      if (unreachable(e)) {
        return null;
      }
      return new ConfigException(SECRET, "the master at " + url + " refused this driver: the authentication"
          + " handshake failed, so the driver's secret is not the cluster's (or the cluster does not use"
          + " spark.authenticate). " + WHERE);
    }
    if (causes(e).stream().anyMatch(c -> c.getMessage() != null && c.getMessage().contains(SASL_EXPECTED))) {
      return new ConfigException(AUTHENTICATE, "the master at " + url + " requires authentication and refused this"
          + " driver, which has spark.authenticate off (the master answered: " + SASL_EXPECTED + "). " + WHERE);
    }
    return null;
  }

  /**
   * Whether {@code e} says that no master answered: the connection failed or timed out (an
   * {@link IOException} from connecting; the handshake wraps its own failures in a
   * {@link RuntimeException}), or an answer did not come in time.
   */
  static boolean unreachable(Throwable e) {
    return e instanceof IOException || causes(e).stream().anyMatch(c -> c instanceof ConnectException
        || c instanceof UnknownHostException || c instanceof NoRouteToHostException || c instanceof TimeoutException);
  }

  /** {@code spark://h1:7077,h2:7077} (masters with standby) as {@code spark://h1:7077}, {@code spark://h2:7077}. */
  static List<String> masters(String url) {
    List<String> out = new ArrayList<>();
    for (String hostPort : url.substring("spark://".length()).split(",")) {
      out.add("spark://" + hostPort.trim());
    }
    return out;
  }

  private static List<Throwable> causes(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable c = e; c != null && !chain.contains(c); c = c.getCause()) {
      chain.add(c);
    }
    return chain;
  }
}
