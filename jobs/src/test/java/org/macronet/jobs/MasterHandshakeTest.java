package org.macronet.jobs;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.macronet.common.config.ConfigException;

/**
 * What {@link MasterHandshake} makes of a master's answers, without a cluster. The answers of a
 * real master (a wrong secret, none) are checked by {@code ClusterAuthenticationIT}.
 */
class MasterHandshakeTest {
  private static final String MASTER = "spark://10.0.0.5:7077";

  @Test
  void aRefusedHandshakeIsAWrongSecretNamingTheMasterAndWhereToSetIt() {
    // Given a driver that authenticates, and a handshake the master closed
    Exception closed = new RuntimeException(new IOException("Connection from /10.0.0.5:7077 closed"));
    // then the error names the secret, the master, and where a driver reads its settings
    ConfigException e = MasterHandshake.refusal(MASTER, true, closed);
    assertEquals("spark.authenticate.secret", e.key());
    assertTrue(e.getMessage().contains("the master at spark://10.0.0.5:7077 refused this driver: the"
        + " authentication handshake failed"), e.getMessage());
    assertTrue(e.getMessage().contains("--properties-file"), e.getMessage());
    assertTrue(e.getMessage().contains("deploy/README.md"), e.getMessage());
  }

  @Test
  void aSaslAnswerToADriverWithoutAuthenticationSaysThatTheClusterRequiresIt() {
    Exception answer = new SparkException("Exception thrown in awaitResult: ", new RuntimeException(
        "java.lang.IllegalStateException: Expected SaslMessage, received something else (maybe your client does not"
            + " have SASL enabled?)"));
    ConfigException e = MasterHandshake.refusal(MASTER, false, answer);
    assertEquals("spark.authenticate", e.key());
    assertTrue(e.getMessage().contains("requires authentication and refused this driver, which has"
        + " spark.authenticate off"), e.getMessage());
  }

  @Test
  void aMasterThatCannotBeReachedIsLeftToSpark() {
    Exception refused = new IOException("Failed to connect to /10.0.0.5:7077", new ConnectException("refused"));
    assertNull(MasterHandshake.refusal(MASTER, true, refused));
    assertNull(MasterHandshake.refusal(MASTER, false, new SparkException("Exception thrown in awaitResult: ", refused)));
    assertNull(MasterHandshake.refusal(MASTER, true, new IOException("Connecting to /10.0.0.5:7077 timed out")));
    assertNull(MasterHandshake.refusal(MASTER, true, new RuntimeException(new java.util.concurrent.TimeoutException())));
    // and so is any other failure of a driver without authentication
    assertNull(MasterHandshake.refusal(MASTER, false, new SparkException("Cannot find endpoint")));
  }

  @Test
  void standbyMastersAreCheckedOneByOne() {
    assertEquals(List.of("spark://h1:7077", "spark://h2:7078"), MasterHandshake.masters("spark://h1:7077,h2:7078"));
    assertEquals(List.of(MASTER), MasterHandshake.masters(MASTER));
  }

  @Test
  void authenticationWithoutASecretIsRefusedBeforeAnyConnection() {
    SparkConf conf = new SparkConf(false).setMaster(MASTER).set("spark.authenticate", "true");
    ConfigException e = assertThrows(ConfigException.class, () -> MasterHandshake.verify(conf));
    assertEquals("spark.authenticate.secret", e.key());
    assertTrue(e.getMessage().contains("spark.authenticate is true but the driver has no secret"), e.getMessage());
  }

  @Test
  @Timeout(value = 60, unit = TimeUnit.SECONDS)
  void onlyStandaloneMastersAreCheckedAndAnUnreachableOneIsLeftToSpark() throws IOException {
    // local mode: nothing to connect to, and no secret needed
    assertDoesNotThrow(() -> MasterHandshake.verify(new SparkConf(false).setMaster("local[2]")
        .set("spark.authenticate", "true")));
    // a port where nothing listens, with and without authentication
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String nobody = "spark://127.0.0.1:" + port;
    assertDoesNotThrow(() -> MasterHandshake.verify(new SparkConf(false).setMaster(nobody)));
    assertDoesNotThrow(() -> MasterHandshake.verify(new SparkConf(false).setMaster(nobody)
        .set("spark.authenticate", "true").set("spark.authenticate.secret", "s").set("spark.network.crypto.enabled",
            "true")));
  }
}
